// Requests whose bytes are not a valid protobuf message are answered with INVALID_ARGUMENT (grpc-js
// would say INTERNAL), and the server carries on serving everyone else.
import type {
  handleBidiStreamingCall,
  handleClientStreamingCall,
  handleServerStreamingCall,
  handleUnaryCall,
  MethodDefinition,
  ServiceDefinition,
  UntypedHandleCall,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { invalidArgument } from './errors.ts';

/** What the wrapped deserializer returns instead of throwing. */
const MALFORMED = Symbol('malformed request');

const rejection = () => invalidArgument('The request is not a valid protobuf message.');

type AnyMethod = MethodDefinition<unknown, unknown>;
type Emitter = { emit(event: string | symbol, ...args: unknown[]): boolean };

/** Swallows malformed stream messages before the handler's 'data' listeners see them; calls `reject` once. */
const screenStreamMessages = (call: Emitter, reject: () => void): void => {
  const emit = call.emit.bind(call);
  let rejected = false;
  call.emit = (event, ...args) => {
    if (event !== 'data' || args[0] !== MALFORMED) return emit(event, ...args);
    if (!rejected) {
      rejected = true;
      reject();
    }
    return true;
  };
};

const guard = (method: AnyMethod, handler: UntypedHandleCall): UntypedHandleCall => {
  if (!method.requestStream && !method.responseStream) {
    const unary = handler as handleUnaryCall<unknown, unknown>;
    return ((call, callback) => (call.request === MALFORMED ? callback(rejection()) : unary(call, callback))) as handleUnaryCall<unknown, unknown>;
  }
  if (!method.requestStream) {
    const serverStreaming = handler as handleServerStreamingCall<unknown, unknown>;
    return ((call) => (call.request === MALFORMED ? call.emit('error', rejection()) : serverStreaming(call))) as handleServerStreamingCall<unknown, unknown>;
  }
  if (!method.responseStream) {
    const clientStreaming = handler as handleClientStreamingCall<unknown, unknown>;
    return ((call, callback) => {
      let answered = false;
      const once: typeof callback = (...args) => {
        if (answered) return;
        answered = true;
        callback(...args);
      };
      screenStreamMessages(call as unknown as Emitter, () => once(rejection()));
      clientStreaming(call, once);
    }) as handleClientStreamingCall<unknown, unknown>;
  }
  const bidi = handler as handleBidiStreamingCall<unknown, unknown>;
  return ((call) => {
    screenStreamMessages(call as unknown as Emitter, () => call.emit('error', rejection()));
    bidi(call);
  }) as handleBidiStreamingCall<unknown, unknown>;
};

/** The service with deserializers that never throw and handlers that answer undecodable requests. */
export const rejectingMalformedRequests = (
  definition: ServiceDefinition,
  implementation: UntypedServiceImplementation,
): [ServiceDefinition, UntypedServiceImplementation] => {
  const guardedDefinition: Record<string, AnyMethod> = {};
  const guardedImplementation: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition) as Array<[string, AnyMethod]>) {
    guardedDefinition[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return method.requestDeserialize(bytes);
        } catch {
          return MALFORMED;
        }
      },
    };
    const handler = implementation[name];
    if (handler) guardedImplementation[name] = guard(method, handler);
  }
  return [guardedDefinition, guardedImplementation];
};
