// Marks the document once the Blazor circuit is interactive, so end-to-end tests (and people) know clicks work.
window.lptracker = {
  markInteractive: function () { document.documentElement.setAttribute('data-interactive', 'true'); },
  copy: async function (text) { await navigator.clipboard.writeText(text); return true; }
};
