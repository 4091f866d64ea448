/*
 * Vendora shopper pages (/m/...): progressive enhancement only. Without
 * this script the pages still browse, top up and buy with the wallet (on
 * the demo driver) through plain forms, and an order page reloads itself.
 * It adds:
 * - card payments through Razorpay Checkout, when the server uses Razorpay
 *   (body[data-driver="razorpay"]; the page then loads Razorpay's
 *   checkout.js, the one external script);
 * - the live progress of an order over the /orders socket (order_updated),
 *   with the rating form appearing once the vend settles;
 * - the machine's status on its page (machine_status on the same socket):
 *   buying is offered only while it is online, with one banner saying why
 *   not, which clears when the machine is back.
 */
;(function () {
  'use strict'

  var body = document.body
  var base = body.getAttribute('data-base') || ''
  var csrfMeta = document.querySelector('meta[name="csrf-token"]')
  var csrfToken = csrfMeta ? csrfMeta.getAttribute('content') : ''
  var scriptAlert = document.getElementById('script-alert')

  function showError(message) {
    if (!scriptAlert) return window.alert(message)
    scriptAlert.textContent = message
    scriptAlert.hidden = false
    scriptAlert.scrollIntoView({ block: 'center', behavior: 'smooth' })
  }

  function clearError() {
    if (scriptAlert) scriptAlert.hidden = true
  }

  /*
   * A fresh idempotency key for a form whose earlier attempt was given up
   * (Checkout closed). crypto.randomUUID needs a secure context, which a
   * phone opening http://<laptop>:3333 is not; getRandomValues works anywhere.
   */
  function newKey() {
    var bytes = new Uint8Array(16)
    window.crypto.getRandomValues(bytes)
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2) }).join('')
  }

  /*
   * POST to one of the page's JSON endpoints. Resolves with the body of a
   * 2xx answer; rejects with the first error's message otherwise.
   */
  function postJson(url, payload) {
    var isForm = payload instanceof URLSearchParams
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Content-Type': isForm ? 'application/x-www-form-urlencoded' : 'application/json',
        'X-CSRF-Token': csrfToken,
      },
      body: isForm ? payload.toString() : JSON.stringify(payload || {}),
    }).then(function (response) {
      return response.json().catch(function () { return {} }).then(function (data) {
        if (response.ok) return data
        var error = data && data.errors && data.errors[0]
        var failure = new Error(error && error.message ? error.message : 'Something went wrong. Please try again.')
        failure.code = error && error.code
        throw failure
      })
    })
  }

  function setBusy(element, busy) {
    if (!element) return
    if (busy) element.setAttribute('aria-busy', 'true')
    else element.removeAttribute('aria-busy')
  }

  /*
   * The page's socket on /orders. WebSocket first: a page left early (a
   * tap on Buy right after it loaded) closes its connection at once, where
   * an HTTP long-polling session lingers on the server until the ping
   * timeout; long-polling still serves networks that block WebSockets.
   */
  function liveSocket(auth) {
    return window.io('/orders', { auth: auth, transports: ['websocket', 'polling'], tryAllTransports: true })
  }

  /* ---------- The machine's status ---------- */

  var machineLive = document.getElementById('machine-live')
  var machineBadge = document.getElementById('machine-status')
  var machineState = document.getElementById('machine-state')

  /*
   * Shows the machine as `status` (online, offline, maintenance): the
   * badge, the one banner (hidden while online) and the buy buttons
   * (enabled while online, except for sold-out slots). The server renders
   * the same; this keeps it true while the page stays open.
   */
  function showMachineStatus(status) {
    if (!machineLive) return
    var online = status === 'online'
    if (machineBadge) {
      machineBadge.className = 'badge ' + status
      machineBadge.textContent = machineBadge.getAttribute('data-' + status) || status
    }
    if (machineState) {
      machineState.textContent = online ? '' : machineState.getAttribute('data-' + status) || machineState.getAttribute('data-offline')
      machineState.hidden = online
    }
    var buttons = document.querySelectorAll('#buy-form article.product button[name="item"]')
    Array.prototype.forEach.call(buttons, function (button) {
      var product = button.closest('article.product')
      button.disabled = !online || (product && product.hasAttribute('data-sold-out'))
    })
  }

  /* ---------- Card payments with Razorpay Checkout ---------- */

  function openCheckout(answer, form, button) {
    if (typeof window.Razorpay !== 'function') {
      setBusy(button, false)
      return showError('The card payment window could not load. Check your connection and try again.')
    }
    var paymentId = answer.payment && answer.payment.id
    var options = Object.assign({}, answer.checkout, {
      handler: function (result) {
        postJson(base + '/payments/verify', {
          razorpay_order_id: result.razorpay_order_id,
          razorpay_payment_id: result.razorpay_payment_id,
          razorpay_signature: result.razorpay_signature,
        })
          .then(function (verified) { window.location.assign(verified.redirect || base) })
          .catch(function (error) {
            setBusy(button, false)
            showError(error.message)
          })
      },
      modal: {
        ondismiss: function () {
          setBusy(button, false)
          // The next try is a new payment, not a replay of this one.
          var key = form.querySelector('input[name="idempotency_key"]')
          if (key) key.value = newKey()
          // Said once the held unit is back, so what the page says is true.
          var cancelled = paymentId ? postJson(base + '/payments/' + paymentId + '/cancel', {}) : Promise.resolve()
          cancelled.catch(function () {}).then(function () { showError('Payment cancelled. Nothing was charged.') })
        },
      },
    })
    var checkout = new window.Razorpay(options)
    checkout.open()
  }

  if (body.getAttribute('data-driver') === 'razorpay') {
    document.addEventListener('submit', function (event) {
      var form = event.target
      var button = event.submitter
      // Top-up forms are marked on the form, the "Pay by card" buttons on the button.
      var card = form.hasAttribute('data-card') || (button && button.hasAttribute('data-card'))
      if (!card) return
      event.preventDefault()
      clearError()

      var data = new URLSearchParams(new FormData(form))
      if (button && button.name) data.append(button.name, button.value)
      var action = (button && button.getAttribute('formaction')) || form.getAttribute('action')
      setBusy(button, true)
      postJson(action, data)
        .then(function (answer) {
          if (answer.redirect) return window.location.assign(answer.redirect)
          openCheckout(answer, form, button)
        })
        .catch(function (error) {
          setBusy(button, false)
          // The machine went away since the page was drawn: its banner says so, once.
          if (error.code === 'machine_offline' && machineLive) return showMachineStatus('offline')
          showError(error.message)
        })
    })
  }

  if (machineLive && typeof window.io === 'function') {
    var machineSocket = liveSocket({ ticket: machineLive.getAttribute('data-live-ticket'), machine: machineLive.getAttribute('data-machine') })
    // Sent on (re)connect too, so a page that missed changes catches up.
    machineSocket.on('machine_status', function (machine) {
      if (machine && machine.code === machineLive.getAttribute('data-machine')) showMachineStatus(machine.status)
    })
  }

  /* ---------- An order's live progress ---------- */

  var live = document.getElementById('order-live')
  if (live && typeof window.io === 'function') {
    var orderId = live.getAttribute('data-order-id')
    var statusUrl = live.getAttribute('data-status-url')
    var loading = false
    var again = false
    // Once the shopper submits a form in the panel (Refund), it must not
    // be swapped out from under the click.
    var frozen = false
    live.addEventListener('submit', function () { frozen = true })
    // A rating being filled in survives a refresh of the panel (a card
    // refund moving on, say): the form the shopper is typing in is kept.
    live.addEventListener('input', function (event) {
      var form = event.target.closest && event.target.closest('form.feedback')
      if (form) form.setAttribute('data-dirty', '')
    })
    // Each render carries a new CSRF token; compare without it, so an
    // unchanged panel is left alone.
    var comparable = function (html) { return html.replace(/name=['"]_csrf['"] value=['"][^'"]*['"]/g, '').trim() }
    var shown = comparable(live.innerHTML)

    // One fetch at a time, and one more if an update came meanwhile, so a
    // slow answer can never overwrite a newer one.
    var refresh = function () {
      if (frozen) return
      if (loading) {
        again = true
        return
      }
      loading = true
      fetch(statusUrl, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status) })
        .then(function (html) {
          if (frozen || comparable(html) === shown) return
          shown = comparable(html)
          var typing = live.querySelector('form.feedback[data-dirty]')
          live.innerHTML = html
          var fresh = live.querySelector('form.feedback')
          if (typing && fresh) fresh.replaceWith(typing)
        })
        .catch(function () {})
        .then(function () {
          loading = false
          if (again) {
            again = false
            refresh()
          }
        })
    }

    var socket = liveSocket({ ticket: live.getAttribute('data-live-ticket') })
    socket.on('order_updated', function (order) {
      if (String(order.id) === orderId) refresh()
    })
    // Catch up on whatever changed before the socket was connected.
    socket.on('connect', refresh)
  }
})()
