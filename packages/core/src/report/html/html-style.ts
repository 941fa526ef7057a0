import { HEAT_COLORS, HEAT_TEXT_COLORS } from '../matrix/heat-colors.js';

// The whole stylesheet, inlined: the report must open offline with nothing fetched.

const heatRules = Object.entries(HEAT_COLORS)
  .map(
    ([state, bg]) =>
      `.h-${state}{background:${bg};color:${HEAT_TEXT_COLORS[state as keyof typeof HEAT_COLORS]}}`,
  )
  .join('\n');

export const REPORT_CSS = `
:root{--ink:#1f2933;--muted:#607080;--line:#d9e0e6;--bg:#f7f9fb;--accent:#1b4d89}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header,main,footer{max-width:1400px;margin:0 auto;padding:0 24px}
header{padding-top:24px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:32px 0 12px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:16px;margin:20px 0 8px}
.meta{color:var(--muted)}
nav{margin:12px 0;display:flex;flex-wrap:wrap;gap:12px}
nav a{color:var(--accent);text-decoration:none}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px}
.card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px}
.card .n{font-size:26px;font-weight:600}
.card .l{color:var(--muted)}
table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0}
th,td{border:1px solid var(--line);padding:5px 7px;text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;font-weight:600}
.matrix{display:flex;gap:4px;overflow-x:auto;padding-bottom:8px}
.col{flex:0 0 128px;display:flex;flex-direction:column;gap:3px}
.tactic{background:var(--ink);color:#fff;padding:6px;border-radius:4px;font-weight:600;font-size:12px;min-height:52px}
.tactic small{display:block;font-weight:400;opacity:.8}
.cell{border:1px solid rgba(0,0,0,.12);border-radius:4px;padding:4px 5px;font-size:11px}
.cell b{display:block;font-size:10px;font-weight:600;opacity:.85}
.sub{margin-top:3px;padding:2px 4px;border-radius:3px;font-size:10px;border:1px solid rgba(0,0,0,.12)}
.legend{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}
.legend span{padding:2px 8px;border-radius:3px;border:1px solid var(--line);font-size:12px}
.q{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 12px;margin:8px 0}
.q p{margin:4px 0}
.a-passed{background:#c8e6c9}.a-failed{background:#ffcdd2}.a-partial{background:#fff3c4}
.a-open,.a-unknown{background:#eceff1}
.step{margin:4px 0}
details summary{cursor:pointer;color:var(--accent)}
footer{color:var(--muted);padding:24px}
@media print{.matrix{flex-wrap:wrap}nav{display:none}}
${heatRules}
`;
