# One image for every Ledgerline service; the compose file (or `docker run … node dist/services/<name>/main.js`)
# picks the service by command.

# Build: all dependencies, then TypeScript compiled to dist/ (tsconfig.build.json: the services' entry points).
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY services ./services
RUN npm run build

# Runtime: production dependencies and the compiled services only, run as the image's unprivileged user.
FROM node:20.19-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
CMD ["node", "dist/services/command-api/main.js"]
