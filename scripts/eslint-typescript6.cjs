/**
 * Lets typescript-eslint run beside TypeScript 7.
 *
 * `typescript` here is 7 (the native compiler: `tsc` is a Go binary and the package has no
 * JavaScript compiler API). typescript-eslint parses and type-checks through that JS API and
 * supports TypeScript < 6.1 only, so it would fail to load. TypeScript 6.0 (the last JS release,
 * same language) is installed beside it as the devDependency `typescript6`; this hook, loaded
 * first by eslint.config.js, sends the linter's `require('typescript')` there. Only requests from
 * typescript-eslint's own packages are redirected: nothing else in the process changes, and
 * `tsc` stays TypeScript 7 (`npm run typecheck`). Remove this file and the `typescript6`
 * devDependency once typescript-eslint supports TypeScript 7.
 */
const Module = require('node:module');

const LINT_TOOLS = /[\\/]node_modules[\\/](typescript-eslint|@typescript-eslint[\\/][^\\/]+|ts-api-utils)[\\/]/;
const resolveFilename = Module._resolveFilename;

Module._resolveFilename = function resolveTypescript6(request, parent, ...rest) {
  const wantsTypescript = request === 'typescript' || request.startsWith('typescript/');
  if (wantsTypescript && parent && LINT_TOOLS.test(parent.filename ?? '')) {
    return resolveFilename.call(this, `typescript6${request.slice('typescript'.length)}`, parent, ...rest);
  }
  return resolveFilename.call(this, request, parent, ...rest);
};
