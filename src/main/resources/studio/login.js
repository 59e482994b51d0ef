// Sends the token once, in the body of a POST; the server answers with an HttpOnly login cookie.
const form = document.getElementById('login');
form.addEventListener('submit', async event => {
  event.preventDefault();
  const error = document.getElementById('login-error');
  error.textContent = '';
  const response = await fetch('/studio/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin',
    body: JSON.stringify({ token: document.getElementById('token').value })
  });
  if (response.ok) {
    location.replace('/studio/');
  } else {
    const body = await response.json().catch(() => ({}));
    error.textContent = body.error || 'log in failed';
  }
});
