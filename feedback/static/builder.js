// Live wording checks in the survey builder. Without JavaScript the same checks run on save.
(function () {
  var token = document.querySelector('input[name="csrf_token"]');
  var lintUrl = document.body.getAttribute('data-lint-url') || '/staff/lint';
  function render(list, findings) {
    // The page's own words for severities and codes; an unknown code shows as it is.
    var words = JSON.parse(list.getAttribute('data-words') || '{}');
    list.textContent = '';
    findings.forEach(function (f) {
      var li = document.createElement('li');
      li.className = 'finding ' + f.severity;
      var sev = document.createElement('span');
      sev.className = 'sev';
      sev.textContent = words[f.severity] || f.severity;
      var code = document.createElement('strong');
      code.textContent = words[f.code] || f.code;
      li.append(sev, ' ', code, ': ' + f.message);
      if (f.suggestion) {
        var s = document.createElement('span');
        s.className = 'suggest';
        s.textContent = (words['try'] || 'Try:') + ' “' + f.suggestion + '”';
        li.append(document.createElement('br'), s);
      }
      list.appendChild(li);
    });
  }
  document.querySelectorAll('textarea[data-lint-lang]').forEach(function (area) {
    var list = document.getElementById(area.getAttribute('data-findings'));
    var timer = null;
    function check() {
      fetch(lintUrl, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {'Content-Type': 'application/json', 'X-CSRFToken': token ? token.value : ''},
        body: JSON.stringify({text: area.value, lang: area.getAttribute('data-lint-lang')})
      }).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && list) render(list, data.findings); })
        .catch(function () {});
    }
    area.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(check, 300);
    });
    // Text typed (or restored by the browser) before this script ran is checked too.
    if (area.value.trim() && list && !list.children.length) {
      check();
    }
  });
})();
