export { runCli } from './runCli.js';
export { createProcessIo, type CliIo } from './io.js';
export { EXIT } from './errors.js';
