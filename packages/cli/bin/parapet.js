#!/usr/bin/env node
// The installed `parapet` command. It exists before the build so that npm can link it; the code is in dist/.
import('../dist/bin.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bin.js')) {
    process.stderr.write('parapet: not built yet; run `npm run build` at the repository root\n');
    process.exitCode = 70;
    return;
  }
  throw error;
});
