/* benchkeep: optional enhancements; every page is complete without this. */
(function () {
  'use strict';
  // Filter box: hide benchmark rows that do not match.
  var filter = document.getElementById('bk-filter');
  if (filter) {
    filter.addEventListener('input', function () {
      var q = filter.value.toLowerCase().trim();
      var rows = document.querySelectorAll('.bk-filterable tbody tr');
      for (var i = 0; i < rows.length; i++) {
        var t = (rows[i].getAttribute('data-filter') || '').toLowerCase();
        rows[i].style.display = !q || t.indexOf(q) >= 0 ? '' : 'none';
      }
    });
  }
  // Tooltips: show the <title> of a chart's hover target beside the pointer.
  var tip = null;
  function showTip(e, text) {
    if (!tip) {
      tip = document.createElement('div');
      tip.className = 'bk-tip';
      document.body.appendChild(tip);
    }
    tip.textContent = text;
    tip.style.display = 'block';
    tip.style.left = (e.pageX + 12) + 'px';
    tip.style.top = (e.pageY + 12) + 'px';
  }
  function hideTip() { if (tip) tip.style.display = 'none'; }
  var charts = document.querySelectorAll('svg.bk-chart');
  Array.prototype.forEach.call(charts, function (svg) {
    svg.addEventListener('mousemove', function (e) {
      var t = e.target.closest ? e.target.closest('.bk-hit, .bk-mark') : null;
      var title = t && t.querySelector('title');
      if (title) showTip(e, title.textContent); else hideTip();
    });
    svg.addEventListener('mouseleave', hideTip);
    // Zoom on a range: drag horizontally, double-click or the button resets.
    var vb = svg.getAttribute('viewBox').split(' ').map(Number);
    var orig = vb.slice(), start = null;
    function toX(e) {
      var r = svg.getBoundingClientRect();
      return vb[0] + (e.clientX - r.left) / r.width * vb[2];
    }
    svg.addEventListener('mousedown', function (e) { start = toX(e); e.preventDefault(); });
    svg.addEventListener('mouseup', function (e) {
      if (start === null) return;
      var end = toX(e), a = Math.min(start, end), b = Math.max(start, end);
      start = null;
      if (b - a < 5) return;
      vb = [a, vb[1], b - a, vb[3]];
      svg.setAttribute('viewBox', vb.join(' '));
      reset.hidden = false;
    });
    var reset = document.createElement('button');
    reset.type = 'button';
    reset.className = 'bk-zoom-reset';
    reset.textContent = 'Reset zoom';
    reset.hidden = true;
    reset.addEventListener('click', function () {
      vb = orig.slice();
      svg.setAttribute('viewBox', vb.join(' '));
      reset.hidden = true;
    });
    svg.addEventListener('dblclick', function () { reset.click(); });
    svg.parentNode.insertBefore(reset, svg.nextSibling);
  });
})();
