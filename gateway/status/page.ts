import type { ErrorInfo, SourceStatus, StatusSnapshot, WarningInfo } from './snapshot.js';

/** Escapes text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function time(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function errorCell(e: ErrorInfo | null): string {
  if (!e) return '—';
  const action = e.action ? `<div class="action">建议：${esc(e.action)}</div>` : '';
  return `<code>${esc(e.code)}</code> ${esc(e.message)}${action}`;
}

function warningsCell(warnings: WarningInfo[]): string {
  if (warnings.length === 0) return '—';
  return warnings
    .map((w) => `<div class="warn" data-code="${esc(w.code)}">${esc(w.message)}<div class="action">建议：${esc(w.action)}</div></div>`)
    .join('');
}

const MODE_TEXT: Record<string, string> = { incremental: '增量', snapshot: '全量比对' };

const DELIVERY_TEXT: Record<string, string> = {
  idle: '空闲（队列已发完）',
  sending: '正在发送',
  backing_off: '等待重试',
  paused_auth: '已暂停（签名被拒）',
};

const SOURCE_STATE: Record<string, string> = { ok: '正常', error: '故障', unknown: '未运行', attention: '需关注' };

const KIND_TEXT: Record<string, string> = { folder: '文件目录' };

function filesLine(f: SourceStatus['files']): string {
  if (!f) return '';
  return `<div class="sub files">文件：已处理 ${f.processed}，整体拒收 ${f.rejected}，待重试 ${f.left}；行：读取 ${f.rowsRead}，入队 ${f.queued}，拒收 ${f.rejectedRows}</div>`;
}

/**
 * The status page: server-rendered, no script, refreshed by the browser
 * every few seconds, readable by a technical contact who is not a
 * database expert.
 */
export function renderStatusPage(s: StatusSnapshot): string {
  const v = s.verdict;
  const jobs = s.jobs
    .map(
      (j) => `<tr>
  <td>${esc(j.name)}</td><td>${esc(j.categoryName)}<div class="sub">${esc(j.category)}</div></td>
  <td>${esc(j.source)}</td><td>${esc(MODE_TEXT[j.mode] ?? j.mode)}</td>
  <td>${esc(j.schedule)}${j.snapshotSchedule ? `<div class="sub">全量比对：${esc(j.snapshotSchedule)}${j.snapshotNextRunAt ? `，下次 ${time(j.snapshotNextRunAt)}` : ''}</div>` : ''}</td>
  <td>${j.running ? '运行中' : j.lastError && (!j.lastSuccessAt || (j.lastError.at ?? '') > j.lastSuccessAt) ? '<span class="bad">失败</span>' : '正常'}</td>
  <td>${time(j.lastSuccessAt)}</td><td>${time(j.nextRunAt)}</td>
  <td class="num">${j.rowsRead}</td><td class="num">${j.queued}</td><td class="num">${j.rejected}</td>
  <td>${errorCell(j.lastError)}</td><td>${warningsCell(j.warnings)}</td>
  <td><form method="post" action="jobs/${encodeURIComponent(j.name)}/run"><button type="submit">立即运行</button></form></td>
</tr>`,
    )
    .join('\n');
  const sources = s.sources
    .map(
      (src) => `<tr><td>${esc(src.name)}</td><td>${esc(KIND_TEXT[src.kind] ?? src.kind)}${filesLine(src.files)}</td><td class="${src.state === 'error' ? 'bad' : ''}">${esc(SOURCE_STATE[src.state] ?? src.state)}</td><td>${time(src.lastSuccessAt)}</td><td>${errorCell(src.lastError)}</td><td>${warningsCell(src.warnings)}</td></tr>`,
    )
    .join('\n');
  const rejections = s.rejections.recent
    .map(
      (r) => `<tr><td>${time(r.at)}</td><td>${r.source === 'local' ? '本地校验' : '平台拒收'}</td><td>${esc(r.category)}</td><td>${esc(r.key)}</td><td>${esc(r.field)}</td><td><code>${esc(r.code)}</code></td><td>${esc(r.message)}</td></tr>`,
    )
    .join('\n');
  const d = s.platform.delivery;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="5">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>信用信息前置交换网关 · ${esc(s.gateway.department)}</title>
<style>
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:1.5rem;color:#222;background:#fafafa}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}th,td{border:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}.num{text-align:right}.sub{color:#777;font-size:.8rem}.bad{color:#b00020;font-weight:bold}
.verdict{padding:.8rem 1rem;border-radius:4px;margin:.8rem 0;font-size:1.05rem}.ok{background:#e6f4ea}.attention{background:#fff4e5}.fault{background:#fde7e9}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{background:#fff;border:1px solid #ddd;padding:.6rem 1rem;min-width:9rem}.card b{display:block;font-size:1.4rem}
.action{color:#555;font-size:.8rem}.warn{color:#8a5300;margin-bottom:.3rem}code{font-size:.85rem}
</style>
</head>
<body>
<h1>信用信息前置交换网关 · ${esc(s.gateway.department)}</h1>
<div class="sub">网关编号 ${esc(s.gateway.id)} · 软件版本 ${esc(s.gateway.softwareVersion)} · 启动于 ${time(s.gateway.startedAt)}${s.gateway.demo ? ' · <b>演示模式</b>（示例数据库 + 本机参考平台）' : ''}</div>
<div class="verdict ${v.level}" id="verdict"><b>${esc(v.text)}</b>：${v.reasons.map(esc).join('；')}</div>

<div class="cards">
<div class="card">已读取<b id="total-read">${s.totals.read}</b>行</div>
<div class="card">已送达<b id="total-delivered">${s.totals.delivered}</b>条</div>
<div class="card">待发送<b id="queue-pending">${s.queue.pending}</b>条</div>
<div class="card">本地校验拒收<b id="total-rejected-local">${s.totals.rejectedLocal}</b>条</div>
<div class="card">平台拒收<b id="total-rejected-platform">${s.totals.rejectedPlatform}</b>条</div>
</div>

<h2>平台连接</h2>
<table>
<tr><th>平台地址</th><td>${esc(s.platform.url)}</td></tr>
<tr><th>发送状态</th><td>${esc(DELIVERY_TEXT[d.status] ?? d.status)}</td></tr>
<tr><th>最近一次成功送达</th><td>${time(d.lastSuccessAt)}</td></tr>
<tr><th>最近的发送错误</th><td>${errorCell(d.lastError)}${d.nextAttemptAt ? `<div class="sub">下次重试 ${time(d.nextAttemptAt)}</div>` : ''}</td></tr>
<tr><th>最早一条待发送记录</th><td>${time(s.queue.oldestPendingAt)}</td></tr>
<tr><th>最近一次心跳</th><td>${time(s.platform.heartbeat.lastSuccessAt)}${s.platform.heartbeat.clockOffsetMs !== null ? `（与平台时钟相差 ${Math.round(s.platform.heartbeat.clockOffsetMs / 1000)} 秒）` : ''}</td></tr>
</table>

<h2>数据源</h2>
<table id="sources"><tr><th>名称</th><th>类型</th><th>状态</th><th>最近一次成功读取</th><th>最近的错误</th><th>提醒</th></tr>
${sources || '<tr><td colspan="6">未配置数据源</td></tr>'}
</table>

<h2>采集任务</h2>
<table id="jobs"><tr><th>任务</th><th>信息类</th><th>数据源</th><th>方式</th><th>周期</th><th>状态</th><th>最近成功</th><th>下次运行</th><th>读取行数</th><th>入队</th><th>拒收</th><th>最近的错误</th><th>提醒</th><th></th></tr>
${jobs || '<tr><td colspan="14">未配置任务</td></tr>'}
</table>

<h2>被拒收的记录（共 ${s.rejections.total} 条，最近 ${s.rejections.recent.length} 条）</h2>
<p class="sub">被拒收的记录不会发送到平台。请按原因修正源数据，修正后的记录会在下次采集时自动重新发送。完整列表：<a href="api/rejections">api/rejections</a></p>
<table id="rejections"><tr><th>时间</th><th>环节</th><th>信息类</th><th>记录主键</th><th>字段</th><th>原因代码</th><th>原因</th></tr>
${rejections || '<tr><td colspan="7">没有被拒收的记录</td></tr>'}
</table>
<p class="sub">页面每 5 秒自动刷新 · 生成于 ${time(s.generatedAt)} · 机器可读：<a href="api/status">api/status</a></p>
</body>
</html>`;
}
