// The bead a search hit came from: scrolled to the middle of the page, not under the header.
(function () {
  var current = document.querySelector("tr.bead.current");
  if (current) { current.scrollIntoView({block: "center"}); }
})();
