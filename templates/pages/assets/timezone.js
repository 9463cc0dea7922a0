// Pre-selects the reader's time zone from the browser. Without JavaScript the select still works.
(function () {
  var select = document.getElementById('timezone');
  if (!select || select.getAttribute('data-browser-timezone') !== 'true') return;
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (_e) { return; }
  if (!zone) return;
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) { select.selectedIndex = i; return; }
  }
  var option = document.createElement('option');
  option.value = zone;
  option.textContent = zone;
  select.appendChild(option);
  select.value = zone;
})();
