// Loads bioprobe's built package (../dist/index.js) for the notebooks.
// tslab compiles notebook cells to CommonJS, so `import ... from '../dist/index.js'` becomes require(),
// and Node cannot require() an ES module graph with top-level await (vega-canvas, under the report's
// vega, has one). A real import() from this CommonJS file works; cells do
//   const bp = (await require('./bioprobe.cjs')()) as typeof BP;   // with: import type * as BP from '../dist/index.js'
module.exports = () => import('../dist/index.js');
