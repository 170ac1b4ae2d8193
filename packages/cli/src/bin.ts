import { createProcessIo } from './io.js';
import { runCli } from './runCli.js';

runCli(process.argv.slice(2), createProcessIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not bad input: say so plainly, with the stack for the report.
    process.stderr.write(
      `parapet: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 70;
  },
);
