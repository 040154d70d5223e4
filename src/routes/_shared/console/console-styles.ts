// The console's stylesheet: plain, legible at 200% zoom, visible focus, contrast above WCAG AA, and
// the system's dark mode. One string, served by routes/console/console-css.ts.
export const CONSOLE_CSS = `
:root { color-scheme: light dark; --fg: #1b1b1f; --bg: #fff; --muted: #555; --line: #ccc; --accent: #0b57d0; --danger: #b3261e; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e6ea; --bg: #16161a; --muted: #aaa; --line: #444; --accent: #8ab4f8; --danger: #f2b8b5; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header, main, footer { padding: 0.75rem 1.25rem; }
header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; border-bottom: 1px solid var(--line); }
.brand { font-weight: 600; margin: 0; }
nav ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
a { color: var(--accent); }
a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: 0.5rem; }
h1 { font-size: 1.5rem; overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; margin-top: 1.75rem; }
table { border-collapse: collapse; width: 100%; display: block; overflow-x: auto; }
th, td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
code { font: 0.9em ui-monospace, monospace; overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { color: var(--muted); }
dd { margin: 0; }
form.action, form.filters { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0.5rem 0; }
input, select, button { font: inherit; padding: 0.3rem 0.5rem; }
button { cursor: pointer; border: 1px solid var(--accent); background: var(--accent); color: var(--bg); border-radius: 4px; }
button.danger { border-color: var(--danger); background: var(--danger); }
.empty { color: var(--muted); }
footer { border-top: 1px solid var(--line); color: var(--muted); }
`;
