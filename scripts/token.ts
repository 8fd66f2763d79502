// `npm run token -- <role> [subject] [account ids…]`: an HS256 bearer token signed with AUTH_JWT_SECRET,
// for trying the APIs (e.g. the docker-compose stack, or seeding). Identity providers issue real ones.
import { mintToken, roles, type Role } from '../services/platform/index.ts';

const [role, subject, ...accounts] = process.argv.slice(2);
const secret = process.env.AUTH_JWT_SECRET;
if (secret === undefined || role === undefined || !(roles as readonly string[]).includes(role)) {
  process.stderr.write(`Usage: AUTH_JWT_SECRET=<secret> npm run token -- <${roles.join('|')}> [subject] [account ids of a holder…]\n`);
  process.exit(2);
}
process.stdout.write(`${await mintToken(secret, { subject: subject ?? `cli-${role}`, roles: [role as Role], accounts })}\n`);
