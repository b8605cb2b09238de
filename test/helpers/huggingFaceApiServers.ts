// What both Hugging Face API generator suites share: the TGI and Inference Providers servers around one fake
// model, and a secret resolver that knows the test token.
import { setSecretResolver } from '../../src/core/secret';
import {
  type FakeHuggingFace,
  fakeHuggingFace,
  inferenceProvidersRoutes,
  textGenerationInferenceRoutes,
} from '../servers/textGenerationInference';
import { type TestServer, startTestServer } from '../servers/testServer';

export interface HuggingFaceServers {
  fake: FakeHuggingFace;
  tgi: TestServer;
  router: TestServer;
}

/** Mocha hooks inside a `describe`: servers up before, fresh fake and request logs before each test, all closed after. */
export function useHuggingFaceServers(tokenEnvVar: string, token: string): HuggingFaceServers {
  const servers = {} as HuggingFaceServers;
  let restoreResolver: () => void;
  before(async () => {
    servers.fake = fakeHuggingFace();
    servers.tgi = await startTestServer(textGenerationInferenceRoutes(servers.fake));
    servers.router = await startTestServer(inferenceProvidersRoutes(servers.fake));
    restoreResolver = setSecretResolver((name) => (name === tokenEnvVar ? token : undefined));
  });
  after(async () => {
    restoreResolver();
    await Promise.all([servers.tgi.close(), servers.router.close()]);
  });
  beforeEach(() => {
    Object.assign(servers.fake, fakeHuggingFace());
    servers.tgi.requests.length = 0;
    servers.router.requests.length = 0;
  });
  return servers;
}
