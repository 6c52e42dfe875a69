// Marks the document once the Blazor circuit is interactive, so end-to-end tests (and people) know clicks work.
window.lptracker = {
  markInteractive: function () { document.documentElement.setAttribute('data-interactive', 'true'); },
  copy: async function (text) { await navigator.clipboard.writeText(text); return true; },
  // After a refused save: bring the first flagged field (or the form's message) into view.
  scrollToFirstError: function () {
    var el = document.querySelector('.mud-input-error, [data-testid=editor-error], [data-testid=editor-conflict], [data-testid$=-error]');
    if (el) { el.scrollIntoView({ block: 'center', behavior: 'smooth' }); }
  }
};

// Sign-in and sign-up are static pages: a server message under a field is stale as soon as the field is edited.
document.addEventListener('input', function (e) {
  var field = e.target && e.target.closest ? e.target.closest('.auth-field') : null;
  var error = field ? field.querySelector('.auth-field-error') : null;
  if (error) { error.remove(); }
  if (field) { field.classList.remove('auth-field-invalid'); }
});
