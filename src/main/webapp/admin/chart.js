// A small hand-drawn line chart on a canvas: no library, fixed time window.

/**
 * Draws `series` ({color, points: [[timeMs, value|null], ...]}) over the last `windowMs`
 * ending at `now`, with the y axis from 0 to the largest value (at least 1).
 */
export function drawChart(canvas, series, now, windowMs) {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  const pad = { left: 44, right: 8, top: 8, bottom: 18 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const max = Math.max(1, ...series.flatMap((s) => s.points.map(([, v]) => v ?? 0)));
  const x = (t) => pad.left + plotW * (1 - (now - t) / windowMs);
  const y = (v) => pad.top + plotH * (1 - v / max);

  ctx.clearRect(0, 0, width, height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#666';
  ctx.strokeStyle = '#e3e5ea';
  for (const fraction of [0, 0.5, 1]) {
    const value = max * fraction;
    ctx.beginPath();
    ctx.moveTo(pad.left, y(value));
    ctx.lineTo(width - pad.right, y(value));
    ctx.stroke();
    ctx.fillText(formatNumber(value), 2, y(value) + 4);
  }
  ctx.fillText(`-${Math.round(windowMs / 60000)} min`, pad.left, height - 4);
  ctx.fillText('now', width - pad.right - 22, height - 4);

  for (const { color, points } of series) {
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    let drawing = false;
    for (const [t, v] of points) {
      if (v === null || t < now - windowMs) { drawing = false; continue; }
      if (drawing) ctx.lineTo(x(t), y(v)); else ctx.moveTo(x(t), y(v));
      drawing = true;
    }
    ctx.stroke();
  }
}

export function formatNumber(value) {
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (value >= 1e4) return `${(value / 1e3).toFixed(0)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
