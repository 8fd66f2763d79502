// ServerFeatures.GetSupportedMethods and Gossip.Read: what the client asks once per connection.
import { randomUUID } from 'node:crypto';
import type { sendUnaryData, ServiceDefinition, ServerUnaryCall } from '@grpc/grpc-js';
import { gossip, serverFeatures, shared } from '../proto.ts';

/** The EventStoreDB version whose behaviour this server follows. */
export const SERVER_VERSION = '24.10.0';

type SupportedMethods = InstanceType<typeof serverFeatures.SupportedMethods>;
type ClusterInfo = InstanceType<typeof gossip.ClusterInfo>;

/** Features per method, as the real server derives them (ServerFeatures.cs). */
const featuresOf = (serviceName: string, methodName: string): string[] => {
  if (serviceName.includes('persistentsubscriptions')) return ['stream', 'all'];
  if (serviceName.includes('streams') && methodName === 'read') return ['position', 'events'];
  if (serviceName.includes('streams') && methodName === 'batchappend') return ['deadline_duration'];
  return [];
};

/** Lists exactly the methods of the services this server registered, so the client never guesses. */
export const createServerFeaturesHandler = (services: ServiceDefinition[]) => {
  const response = new serverFeatures.SupportedMethods().setEventStoreServerVersion(SERVER_VERSION);
  for (const service of services) {
    for (const method of Object.values(service)) {
      const [, serviceName = '', methodName = ''] = method.path.toLowerCase().split('/');
      const supported = new serverFeatures.SupportedMethod().setServiceName(serviceName).setMethodName(methodName);
      supported.setFeaturesList(featuresOf(serviceName, methodName));
      response.addMethods(supported);
    }
  }
  return {
    getSupportedMethods(_call: ServerUnaryCall<unknown, SupportedMethods>, callback: sendUnaryData<SupportedMethods>) {
      callback(null, response);
    },
  };
};

const LEADER_STATE = 8;

/** A single-node "cluster": this node, alive, leader. */
export const createGossipHandler = (host: () => string, port: () => number) => {
  const instanceId = new shared.UUID().setString(randomUUID());
  return {
    read(_call: ServerUnaryCall<unknown, ClusterInfo>, callback: sendUnaryData<ClusterInfo>) {
      const member = new gossip.MemberInfo()
        .setInstanceId(instanceId)
        .setTimeStamp(String(Date.now() * 10_000))
        .setState(LEADER_STATE)
        .setIsAlive(true)
        .setHttpEndPoint(new gossip.EndPoint().setAddress(host()).setPort(port()));
      callback(null, new gossip.ClusterInfo().setMembersList([member]));
    },
  };
};
