// Hindsight's pages work without this script; with it, the incident list refreshes itself and each section's
// Markdown preview follows the typing. Plain JavaScript, no dependencies, same-origin requests only.
(function () {
  'use strict';
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var token = csrf ? csrf.getAttribute('content') : '';

  var live = document.getElementById('incident-tables');
  if (live && live.dataset.live) {
    var every = Math.max(2000, Number(live.dataset.live) || 5000);
    var refresh = function () {
      if (document.hidden) return;
      fetch(window.location.pathname + window.location.search, {
        headers: { 'X-Hindsight-Fragment': 'incident-tables' },
        credentials: 'same-origin',
      })
        .then(function (res) {
          return res.ok ? res.text() : null;
        })
        .then(function (html) {
          if (html !== null && html !== live.innerHTML) live.innerHTML = html;
        })
        .catch(function () {});
    };
    setInterval(refresh, every);
  }

  var areas = document.querySelectorAll('textarea[data-preview]');
  Array.prototype.forEach.call(areas, function (area) {
    var target = document.getElementById(area.dataset.preview);
    var form = area.form;
    if (!target || !form) return;
    var timer = null;
    area.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var body = new URLSearchParams({ text: area.value, _csrf: token });
        fetch(form.action.replace(/\/sections$/, '/preview'), {
          method: 'POST',
          body: body,
          headers: { 'X-CSRF-Token': token },
          credentials: 'same-origin',
        })
          .then(function (res) {
            return res.ok ? res.text() : null;
          })
          .then(function (html) {
            // The server renders with raw HTML disabled and links sanitized.
            if (html !== null) target.innerHTML = html;
          })
          .catch(function () {});
      }, 300);
    });
  });
})();
