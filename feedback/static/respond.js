// Counts the characters of each long answer against its limit; the page works without it.
(function () {
  var format = new Intl.NumberFormat(document.documentElement.lang || undefined);
  document.querySelectorAll('textarea[data-max]').forEach(function (area) {
    var max = parseInt(area.getAttribute('data-max'), 10);
    var out = document.querySelector('output[for="' + area.id + '"]');
    if (!out || !max) return;
    function update() {
      var n = area.value.trim().length;
      out.textContent = format.format(n) + ' / ' + format.format(max);
      out.classList.toggle('over', n > max);
    }
    area.addEventListener('input', update);
    update();
  });
})();
