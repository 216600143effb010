/**
 * The pages' one style sheet, served at /static/status.css (a file of its own so a
 * strict Content-Security-Policy needs no inline styles). Fits a 1366×768
 * screen; prints without navigation and buttons.
 */
export const STATUS_CSS = `
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC","Source Han Sans SC",sans-serif;margin:0;color:#222;background:#fafafa;font-size:15px;line-height:1.45}
header{display:flex;justify-content:space-between;align-items:center;gap:1rem;padding:.5rem 1.5rem;background:#1f3a5f;color:#fff;flex-wrap:wrap}
header a{color:#fff;margin-right:1rem;text-decoration:none}header a[aria-current]{font-weight:bold;border-bottom:2px solid #fff}
header .right{display:flex;align-items:center;gap:.6rem}header .who{font-size:.85rem}
main{padding:1rem 1.5rem 2rem;max-width:1320px}
h1{font-size:1.35rem;margin:.2rem 0 .4rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.88rem}th,td{border:1px solid #ddd;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f0f0;font-weight:600}table.kv th{width:14rem}.num{text-align:right;font-variant-numeric:tabular-nums}
td.key{word-break:break-all}.empty{color:#777}
.table-wrap{overflow-x:auto;max-width:100%}
th,td{min-width:3.5em}td.key{min-width:9em}td.num{min-width:2.5em}
td.state,td.when,td.act,button,.verdict .word,code{white-space:nowrap}td.when{font-variant-numeric:tabular-nums}td.state .sub{white-space:normal}
details{background:#fff;border:1px solid #ddd;padding:.4rem .6rem;margin:.5rem 0}summary{cursor:pointer;color:#555}details table{margin-top:.4rem}
.sub{color:#666;font-size:.8rem}.bad{color:#b00020;font-weight:bold}.warn{color:#8a5300}.good{color:#1b6e2d}
.identity{color:#444;font-size:.9rem}.identity b{color:#222}
.verdict{padding:.7rem 1rem;border-radius:4px;margin:.8rem 0;display:flex;gap:1.2rem;align-items:center}
.verdict .word{font-size:2rem;font-weight:bold;white-space:nowrap}.verdict ul{margin:0;padding-left:1.2rem}
.verdict.ok,.notice.ok{background:#e6f4ea}.verdict.attention{background:#fff4e5}.verdict.fault,.notice.fault{background:#fde7e9}
.verdict.fault .word{color:#b00020}.verdict.attention .word{color:#8a5300}.verdict.ok .word{color:#1b6e2d}
.notice{padding:.5rem 1rem;border-radius:4px;margin:.6rem 0}
.cards{display:flex;flex-wrap:wrap;gap:.7rem}.card{background:#fff;border:1px solid #ddd;padding:.5rem .9rem;min-width:9rem;font-size:.85rem}.card b{display:block;font-size:1.4rem}
.action{color:#555;font-size:.8rem}code{font-size:.85rem}
form{margin:0}form.inline{display:inline}.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;background:#fff;border:1px solid #ddd;padding:.6rem}
button{font:inherit;font-size:.85rem;padding:.15rem .6rem;cursor:pointer}
h3.probe-head{font-size:1rem;margin:.8rem 0 .3rem}.probe{background:#fff;border:1px solid #ddd;padding:.4rem .8rem;font-size:.88rem}
.probe-line{margin:.1rem 0;overflow-wrap:anywhere}.probe-line.d2{margin-left:1.5rem}.probe-line.d3{margin-left:3rem}.probe-line.d4{margin-left:4.5rem}
@media print{header,form,button,.paging a,.foot{display:none}body{background:#fff;font-size:11px}main{padding:0}a{color:inherit;text-decoration:none}}
`;
