/**
 * nock patches node:http for the whole worker process, and jest runs many test files in one
 * worker: a file that used nock would leave its interceptor behind, and a later file's real HTTP
 * client (the forward proxy's upstream calls, puppeteer's connection to Chromium) would run into
 * it after its environment is gone. Every file restores it when it ends.
 */
afterAll(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nock = require("nock") as typeof import("nock");
  nock.cleanAll();
  nock.restore();
});
