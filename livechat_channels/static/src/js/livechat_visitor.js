/* Live Chats for Odoo: the website chat, for any website.
 *
 * Served by Odoo at /livechat/widget/<key>.js, which appends the call
 * livechatVisitor(config). Plain JavaScript, no library: the page carrying
 * it may be any site. The chat lives in a shadow root so the site's styles
 * and ours never meet. Text from the server is always set with textContent,
 * never parsed as HTML.
 *
 * The visitor is a token the server issues, kept in localStorage: the
 * conversation survives reloads without cookies or an Odoo session.
 */
/* eslint-disable no-var */
function livechatVisitor(config) {
    'use strict';
    if (window.__livechatVisitor && window.__livechatVisitor[config.key]) {
        return;
    }
    window.__livechatVisitor = window.__livechatVisitor || {};
    window.__livechatVisitor[config.key] = true;
    // The site may tell the visitor's country on the chat's tag
    // (data-country="BE"); read now: currentScript is set only while the
    // script runs.
    var script = document.currentScript;
    var siteCountry = (script && script.getAttribute('data-country')) || '';
    // The colour goes into a style sheet: only a plain #rrggbb (the server
    // checks it too), whatever the configuration says.
    if (!/^#[0-9A-Fa-f]{6}$/.test(config.color || '')) {
        config.color = '#875A7B';
    }

    var storeKey = 'livechat:' + config.key + ':';
    var store = {
        get: function (name) {
            try { return window.localStorage.getItem(storeKey + name); } catch (e) { return null; }
        },
        set: function (name, value) {
            try { window.localStorage.setItem(storeKey + name, value); } catch (e) { /* private mode */ }
        },
    };
    var state = {token: store.get('token'), last: 0, messages: {}, polling: false,
        started: false, oldest: null, unread: 0, clock: 0, typingTimer: null,
        typingSaid: 0, away: null, hidden: false, address: null, openTimer: null};

    function post(path, payload) {
        // text/plain: a "simple" cross-origin request, no preflight needed.
        return fetch(config.url + path, {
            method: 'POST', body: JSON.stringify(payload), mode: 'cors',
            credentials: 'omit', headers: {'Content-Type': 'text/plain'},
        }).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (data) {
                if (!response.ok) {
                    var error = new Error(data.error || ('HTTP ' + response.status));
                    error.status = response.status;
                    throw error;
                }
                return data;
            });
        });
    }

    function uuid() {
        if (window.crypto && window.crypto.randomUUID) {
            return window.crypto.randomUUID();
        }
        var bytes = new Uint8Array(16);
        window.crypto.getRandomValues(bytes);
        return Array.prototype.map.call(bytes, function (b) {
            return ('0' + b.toString(16)).slice(-2);
        }).join('');
    }

    // --- DOM -----------------------------------------------------------------
    var host = document.createElement('div');
    host.className = 'o_livechat_visitor';
    var root = host.attachShadow ? host.attachShadow({mode: 'open'}) : host;
    var css = [
        ':host{all:initial}',
        ".lcv{font:14px/1.4 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif;color:#222}",
        '.lcv-button{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:28px;',
        'padding:14px 20px;color:#fff;background:' + config.color + ';cursor:pointer;',
        'box-shadow:0 4px 12px rgba(0,0,0,.25);font:inherit;font-weight:600}',
        '.lcv-panel{position:fixed;right:20px;bottom:20px;z-index:2147483001;width:360px;height:520px;',
        'max-height:calc(100vh - 40px);display:flex;flex-direction:column;background:#fff;',
        'border-radius:12px;box-shadow:0 8px 28px rgba(0,0,0,.3);overflow:hidden}',
        '.lcv-panel[hidden],.lcv-button[hidden],[hidden]{display:none!important}',
        '.lcv-unread{display:inline-block;min-width:20px;margin-left:8px;padding:1px 6px;border-radius:10px;',
        'background:#e74c3c;color:#fff;font-size:12px;line-height:18px;text-align:center}',
        '.lcv-head{background:' + config.color + ';color:#fff;padding:12px 14px;display:flex;align-items:center}',
        '.lcv-head b{flex:1;font-size:15px}',
        '.lcv-close{background:none;border:0;color:#fff;font-size:22px;cursor:pointer;line-height:1}',
        '.lcv-list{flex:1;overflow-y:auto;padding:12px;background:#f6f6f8}',
        '.lcv-msg{max-width:80%;margin:6px 0;padding:8px 11px;border-radius:12px;white-space:pre-wrap;',
        'word-wrap:break-word;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.1)}',
        '.lcv-msg.in{margin-left:auto;background:' + config.color + ';color:#fff}',
        '.lcv-msg.pending{opacity:.6}.lcv-msg.error{outline:2px solid #c0392b}',
        '.lcv-author{display:block;font-size:11px;font-weight:600;opacity:.75;margin-bottom:2px}',
        '.lcv-welcome{color:#555;font-style:italic;margin:4px 0 10px}',
        '.lcv-more{display:block;margin:0 auto 8px;background:none;border:0;color:#555;cursor:pointer;text-decoration:underline}',
        '.lcv-profile{display:flex;gap:6px;padding:8px 12px;border-top:1px solid #eee}',
        '.lcv-profile input{flex:1;min-width:0;padding:6px;border:1px solid #ccc;border-radius:6px;font:inherit}',
        '.lcv-compose{display:flex;gap:6px;padding:10px 12px;border-top:1px solid #eee}',
        '.lcv-compose textarea{flex:1;resize:none;height:40px;padding:8px;border:1px solid #ccc;border-radius:8px;font:inherit}',
        '.lcv-send{border:0;border-radius:8px;padding:0 14px;color:#fff;background:' + config.color + ';cursor:pointer;font:inherit}',
        '.lcv-attach{border:1px solid #ccc;border-radius:8px;padding:0 9px;background:#fff;color:#555;cursor:pointer}',
        '.lcv-file{display:block;color:inherit;margin-top:4px;text-decoration:underline}',
        '.lcv-file img{display:block;max-width:100%;max-height:200px;border-radius:8px}',
        '.lcv-links{padding:6px 12px;font-size:12px;color:#555;border-top:1px solid #eee}',
        '.lcv-links a{color:' + config.color + ';margin-left:8px}',
        '.lcv-status{padding:4px 12px;font-size:12px;color:#c0392b}',
        '.lcv-notice{margin:8px 0;text-align:center;font-size:12px;color:#777}',
        '.lcv-typing{padding:2px 12px;font-size:12px;color:#777;font-style:italic}',
        '.lcv-rating{margin-top:8px}.lcv-faces{display:flex;gap:6px}',
        '.lcv-face{flex:1;border:2px solid #ddd;border-radius:10px;background:#fff;padding:6px 2px;',
        'cursor:pointer;font:inherit;font-size:12px;color:#333}',
        '.lcv-face span{display:block;font-size:24px}',
        '.lcv-face[aria-pressed=true]{border-color:' + config.color + ';background:#f0f0ff}',
        '.lcv-face:disabled{cursor:default;opacity:.6}.lcv-face[aria-pressed=true]:disabled{opacity:1}',
        '.lcv-rating textarea{display:block;width:100%;box-sizing:border-box;margin-top:6px;',
        'padding:6px;border:1px solid #ccc;border-radius:6px;font:inherit;resize:vertical}',
        '.lcv-rating-send{margin-top:4px;border:0;border-radius:6px;padding:4px 10px;color:#fff;',
        'background:' + config.color + ';cursor:pointer;font:inherit}',
        '.lcv-rating-said{margin-top:4px;font-size:12px;color:#555}',
        '.lcv-mail{background:none;border:0;color:#fff;font-size:18px;cursor:pointer;margin-right:8px}',
        '.lcv-transcript{display:flex;gap:6px;padding:8px 12px;border-bottom:1px solid #eee;background:#fafafa}',
        '.lcv-transcript input{flex:1;min-width:0;padding:6px;border:1px solid #ccc;border-radius:6px;font:inherit}',
        '.lcv-transcript button{border:0;border-radius:6px;padding:0 10px;color:#fff;background:' + config.color + ';cursor:pointer;font:inherit}',
        '.lcv-transcript .lcv-transcript-cancel{background:#999}',
        '.lcv-said{padding:4px 12px;font-size:12px;color:#2e7d32}',
        '.lcv-away{padding:8px 12px;font-size:13px;color:#555;background:#fdf6e3;border-top:1px solid #eee}',
        '@media (max-width:480px){.lcv-panel{right:0;bottom:0;width:100vw;height:100vh;max-height:none;border-radius:0}}',
    ].join('');
    root.innerHTML = '<style>' + css + '</style>' +
        '<div class="lcv">' +
        '<button class="lcv-button" type="button"><span class="lcv-button-title"></span>' +
        '<span class="lcv-unread" hidden></span></button>' +
        '<div class="lcv-panel" role="dialog" hidden>' +
        '<div class="lcv-head"><b class="lcv-title"></b>' +
        '<button class="lcv-mail" type="button" hidden aria-label="Email me this conversation" ' +
        'title="Email me this conversation">&#9993;</button>' +
        '<button class="lcv-close" type="button" aria-label="Close">&times;</button></div>' +
        '<form class="lcv-transcript" hidden><input class="lcv-transcript-email" type="email" ' +
        'maxlength="254" required placeholder="Your email"><button type="submit">Send</button>' +
        '<button class="lcv-transcript-cancel" type="button">Cancel</button></form>' +
        '<div class="lcv-said" hidden></div>' +
        '<div class="lcv-list" aria-live="polite"><button class="lcv-more" type="button" hidden>Earlier messages</button>' +
        '<div class="lcv-welcome"></div><div class="lcv-items"></div></div>' +
        '<div class="lcv-away" hidden></div>' +
        '<div class="lcv-typing" hidden>Typing a reply…</div>' +
        '<div class="lcv-status" hidden></div>' +
        '<div class="lcv-profile" hidden><input class="lcv-name" maxlength="64" placeholder="Your name (optional)">' +
        '<input class="lcv-email" type="email" maxlength="254" placeholder="Email (optional)"></div>' +
        '<form class="lcv-compose">' +
        '<button class="lcv-attach" type="button" aria-label="Attach a picture or a PDF" ' +
        'title="Attach a picture or a PDF"><svg width="18" height="18" viewBox="0 0 24 24" ' +
        'fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">' +
        '<path d="M21 12.5l-8.5 8.5a5 5 0 0 1-7-7l9-9a3.5 3.5 0 0 1 5 5l-9 9a2 2 0 0 1-3-3l8-8"/>' +
        '</svg></button>' +
        '<input class="lcv-file-input" type="file" accept="image/jpeg,image/png,image/gif,application/pdf" hidden>' +
        '<textarea class="lcv-input" placeholder="Write a message..."></textarea>' +
        '<button class="lcv-send" type="submit">Send</button></form>' +
        '<div class="lcv-links" hidden>Also on:</div>' +
        '</div></div>';
    function $(selector) { return root.querySelector(selector); }
    $('.lcv-button-title').textContent = config.title;
    $('.lcv-title').textContent = config.title;
    $('.lcv-welcome').textContent = config.welcome;
    $('.lcv-input').maxLength = config.maxLength;
    (config.links || []).forEach(function (link) {
        var a = document.createElement('a');
        a.href = link.url;
        a.target = '_blank';
        a.rel = 'noopener';
        a.textContent = link.label;
        $('.lcv-links').appendChild(a);
        $('.lcv-links').hidden = false;
    });

    function status(text) {
        $('.lcv-status').textContent = text || '';
        $('.lcv-status').hidden = !text;
    }

    /* "Typing a reply…" while the staff write one: until the reply comes,
     * or 6 seconds after they last typed. */
    function typing(shown) {
        clearTimeout(state.typingTimer);
        $('.lcv-typing').hidden = !shown;
        if (shown) {
            state.typingTimer = setTimeout(function () { typing(false); }, 6000);
        }
    }

    /* The visitor types: the staff see it (at most every 3 seconds; only
     * in a conversation already started). */
    function sayTyping() {
        var now = Date.now();
        if (!state.token || !state.started || now - state.typingSaid < 3000) {
            return;
        }
        state.typingSaid = now;
        post('/livechat/visitor/typing', {key: config.key, token: state.token})
            .catch(function () { /* a hint: nothing to tell the visitor */ });
    }

    /* The operator closed the conversation (once per notification: the
     * first poll after a page load may bring it again). */
    function closed(notificationId) {
        if (state.messages['n' + notificationId]) {
            return;
        }
        var node = document.createElement('div');
        node.className = 'lcv-notice';
        node.textContent = 'This conversation has ended. Write again to start a new one.';
        $('.lcv-items').appendChild(node);
        state.messages['n' + notificationId] = node;
    }

    function render(message, before) {
        var key = message.id ? 'm' + message.id : 'c' + message.client_id;
        var node = state.messages[key];
        if (!node && message.client_id && message.id) {
            // Our own message, shown while it was being sent.
            node = state.messages['c' + message.client_id];
            if (node) {
                delete state.messages['c' + message.client_id];
            }
        }
        if (!node) {
            node = document.createElement('div');
            node.appendChild(document.createElement('span')).className = 'lcv-author';
            node.appendChild(document.createElement('span')).className = 'lcv-text';
            node.appendChild(document.createElement('span')).className = 'lcv-files';
            var items = $('.lcv-items');
            if (before && items.firstChild) {
                items.insertBefore(node, items.firstChild);
            } else {
                items.appendChild(node);
            }
        }
        state.messages[key] = node;
        if (message.direction === 'out' && message.id) {
            $('.lcv-mail').hidden = false;  // an answer to send by email
        }
        node.className = 'lcv-msg ' + message.direction + (message.pending ? ' pending' : '') +
            (message.error ? ' error' : '');
        node.dataset.id = message.id || '';
        node.querySelector('.lcv-author').textContent = message.author || '';
        node.querySelector('.lcv-author').hidden = !message.author;
        var text = (message.text || '').trim();
        var attachments = message.attachments || [];
        if (attachments.length === 1 && text === '[' + attachments[0].name + ']') {
            text = '';  // A file sent alone: its name is below.
        }
        node.querySelector('.lcv-text').textContent = text;
        var files = node.querySelector('.lcv-files');
        files.textContent = '';
        attachments.forEach(function (attachment) {
            // A link once the server gave the file an address; pictures
            // show as pictures.
            var item = document.createElement(attachment.url ? 'a' : 'span');
            item.className = 'lcv-file';
            if (attachment.url) {
                item.href = config.url + attachment.url;
                item.target = '_blank';
                item.rel = 'noopener';
            }
            if (attachment.url && attachment.image) {
                var img = document.createElement('img');
                img.src = config.url + attachment.url;
                img.alt = attachment.name;
                item.appendChild(img);
            } else {
                item.textContent = attachment.name;
            }
            files.appendChild(item);
        });
        if (message.rating) {
            renderRating(node, message);
        }
        if (message.id && (state.oldest === null || message.id < state.oldest)) {
            state.oldest = message.id;
        }
        if (!before) {
            var list = $('.lcv-list');
            list.scrollTop = list.scrollHeight;
        }
        return node;
    }

    /* The rating question: three faces under it, the one given chosen;
     * once chosen, an optional comment. Drawn again from each answer of
     * the server (the visitor may change their mind while it is open). */
    function renderRating(node, message) {
        var rating = message.rating;
        var box = node.querySelector('.lcv-rating');
        if (box) {
            if (box.contains(document.activeElement) &&
                    document.activeElement.tagName === 'TEXTAREA') {
                return;  // The visitor is writing their comment.
            }
            box.parentNode.removeChild(box);
        }
        box = document.createElement('div');
        box.className = 'lcv-rating';
        var faces = box.appendChild(document.createElement('div'));
        faces.className = 'lcv-faces';
        rating.choices.forEach(function (choice) {
            var button = faces.appendChild(document.createElement('button'));
            button.type = 'button';
            button.className = 'lcv-face';
            button.dataset.rating = choice.value;
            button.setAttribute('aria-pressed', String(choice.value === rating.value));
            button.disabled = !rating.open;
            var parts = choice.label.split(' ');
            button.appendChild(document.createElement('span')).textContent = parts[0];
            button.appendChild(document.createTextNode(parts.slice(1).join(' ')));
            button.addEventListener('click', function () {
                rate(message, choice.value, null);
            });
        });
        var said = box.appendChild(document.createElement('div'));
        said.className = 'lcv-rating-said';
        if (rating.value && rating.open) {
            var comment = box.insertBefore(document.createElement('textarea'), said);
            comment.className = 'lcv-rating-comment';
            comment.maxLength = 1000;
            comment.placeholder = 'Anything to add? (optional)';
            comment.value = rating.comment || '';
            var send = box.insertBefore(document.createElement('button'), said);
            send.type = 'button';
            send.className = 'lcv-rating-send';
            send.textContent = 'Send comment';
            send.addEventListener('click', function () {
                rate(message, rating.value, comment.value);
            });
            said.textContent = rating.comment ? 'Thank you for your comment!' : 'Thank you!';
        } else if (!rating.open) {
            said.textContent = rating.value ? 'Thank you!' : 'This conversation can no longer be rated.';
        }
        node.appendChild(box);
    }

    function rate(message, value, comment) {
        var payload = {key: config.key, token: state.token, message_id: message.id,
            rating: value};
        if (comment !== null) {
            payload.comment = comment;
        }
        var box = state.messages['m' + message.id].querySelector('.lcv-rating');
        Array.prototype.forEach.call(box.querySelectorAll('button'), function (b) {
            b.disabled = true;
        });
        return post('/livechat/visitor/rate', payload)
            .then(function (data) {
                if (document.activeElement && box.contains(document.activeElement)) {
                    document.activeElement.blur();
                }
                render(data.message);
            })
            .catch(function (error) {
                status(error.message);
                render(message);
            });
    }

    function start() {
        if (state.started) {
            return Promise.resolve();
        }
        state.started = true;
        return post('/livechat/visitor/start', {key: config.key, token: state.token})
            .then(function (data) {
                state.token = data.token;
                store.set('token', data.token);
                // Seconds the server's clock is ahead of this window's.
                state.clock = (data.now || Date.now() / 1000) - Date.now() / 1000;
                data.messages.forEach(function (m) { render(m); });
                $('.lcv-more').hidden = data.messages.length < 50;
                $('.lcv-profile').hidden = !(config.askProfile && !data.messages.length &&
                                             !store.get('profile'));
                // Nobody can answer now: leave a message, and an email
                // address for the answer.
                state.away = data.away || null;
                $('.lcv-away').hidden = !state.away;
                if (state.away) {
                    $('.lcv-away').textContent = state.away.text;
                    $('.lcv-profile').hidden = false;
                    $('.lcv-email').placeholder = 'Your email (for our answer)';
                }
                poll();
            })
            .catch(function (error) {
                state.started = false;
                status(error.message);
            });
    }

    function poll() {
        if (state.polling) {
            return;
        }
        state.polling = true;
        post('/longpolling/livechat/visitor', {token: state.token, last: state.last})
            .then(function (data) {
                state.polling = false;
                data.notifications.forEach(function (item) {
                    state.last = Math.max(state.last, item.id);
                    if (item.message && item.message.type === 'livechat.visitor_closed') {
                        closed(item.id);
                    }
                    // The first poll after a page load brings the last
                    // minute again: a "typing" older than 6 s is over.
                    if (item.message && item.message.type === 'livechat.visitor_typing' &&
                            Date.now() / 1000 + state.clock - item.message.at < 6) {
                        typing(true);
                    }
                    if (item.message && item.message.message &&
                            !state.messages['m' + item.message.message.id]) {
                        // The first poll after a page load also brings the
                        // last minute's replies again, already shown from
                        // the history, which read them later: a rating
                        // question is shown as the visitor answered it, not
                        // as it was asked. Only a message new to the window
                        // is shown, and counts as unread.
                        typing(false);
                        render(item.message.message);
                        if ($('.lcv-panel').hidden) {
                            unread(state.unread + 1);
                        }
                    }
                });
                poll();
            })
            .catch(function () {
                state.polling = false;
                setTimeout(poll, 5000);
            });
    }

    /* Send what the visitor wrote, and the file they attached ({name,
     * data: base64}), if any. */
    function send(body, file) {
        var profileShown = !$('.lcv-profile').hidden;
        var payload = {key: config.key, token: state.token, client_id: uuid(), body: body};
        if (file) {
            payload.file = file;
        }
        if (profileShown) {
            payload.name = $('.lcv-name').value;
            payload.email = $('.lcv-email').value;
        }
        var shown = {client_id: payload.client_id, direction: 'in', text: body, pending: true,
            attachments: file ? [{name: file.name}] : []};
        render(shown);
        status('');
        function attempt() {
            var path = file ? '/livechat/visitor/upload' : '/livechat/visitor/post';
            return post(path, payload).then(function (data) {
                data.message.client_id = payload.client_id;
                render(data.message);
                if (state.away) {
                    state.away = null;
                    $('.lcv-away').textContent =
                        'Thank you. We will answer by email as soon as we can.';
                }
                if (profileShown) {
                    $('.lcv-profile').hidden = true;
                    store.set('profile', '1');
                }
            }).catch(function (error) {
                shown.pending = false;
                shown.error = true;
                render(shown);
                if (error.status && error.status < 500 && error.status !== 429) {
                    status(error.message);
                    return;
                }
                // Network trouble, a busy server or the rate limit: the same
                // client id is sent again, so the message is stored once.
                status(error.message + ' — retrying…');
                setTimeout(function () {
                    shown.error = false;
                    shown.pending = true;
                    render(shown);
                    attempt();
                }, error.status === 429 ? 15000 : 3000);
            });
        }
        return attempt();
    }

    /* Replies that arrived while the window was closed: a count on the
     * button, so a visitor who closed it sees that someone answered. */
    function unread(count) {
        state.unread = count;
        $('.lcv-unread').textContent = String(count);
        $('.lcv-unread').hidden = !count;
        $('.lcv-button').setAttribute(
            'aria-label', config.title + (count ? ' (' + count + ' new)' : ''));
    }

    /* Open or close the window. The window the chat's rules open by
     * itself (``auto``) neither takes the page's focus nor stays open on
     * the visitor's next page. */
    function open(opened, auto) {
        if (opened) {
            unread(0);
        }
        $('.lcv-panel').hidden = !opened;
        $('.lcv-button').hidden = opened || state.hidden;
        if (!auto) {
            store.set('open', opened ? '1' : '');
        }
        if (opened) {
            start().then(function () {
                if (!auto) {
                    $('.lcv-input').focus();
                }
            });
        }
    }

    /* The visitor's country: the site's word, or the region of the
     * browser's language (de-CH: CH; plain de tells none). */
    function visitorCountry() {
        if (/^[A-Za-z]{2}$/.test(siteCountry)) {
            return siteCountry.toUpperCase();
        }
        var language = (navigator.languages && navigator.languages[0]) || navigator.language || '';
        var region = language.split('-').slice(1).filter(function (part) {
            return /^[A-Za-z]{2}$/.test(part);
        })[0];
        return region ? region.toUpperCase() : '';
    }

    /* What the chat's website rules say of this page: the first rule whose
     * page pattern (a regular expression the server wrote from it) matches
     * and whose countries, if any, include the visitor's. */
    function pageRule() {
        var country = visitorCountry();
        var path = window.location.pathname + window.location.search;
        var address = window.location.href.split('#')[0];
        var rules = config.rules || [];
        for (var i = 0; i < rules.length; i++) {
            var rule = rules[i];
            if (rule.countries.length && rule.countries.indexOf(country) < 0) {
                continue;
            }
            if (new RegExp(rule.regex, 'i').test(rule.full ? address : path)) {
                return rule;
            }
        }
        return {action: config.otherPages === 'hide' ? 'hide' : 'show'};
    }

    /* A rule opens the window after ``delay`` seconds on the page: not on
     * a phone (it would cover the page), not when the visitor opened it
     * already, nor within a day of their closing it. */
    function openLater(delay) {
        clearTimeout(state.openTimer);
        state.openTimer = setTimeout(function () {
            var dismissed = Number(store.get('dismissed') || 0);
            if (!$('.lcv-panel').hidden || Date.now() - dismissed < 86400000 ||
                    window.matchMedia('(max-width: 480px)').matches) {
                return;
            }
            open(true, true);
        }, delay * 1000);
    }

    /* The conversation, by email to the visitor (once someone answered). */
    function sendTranscript(email) {
        var timeZone = '';
        try {
            timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
        } catch (e) { /* an old browser: the chat's time zone */ }
        status('');
        return post('/livechat/visitor/transcript', {key: config.key, token: state.token,
            email: email, tz: timeZone})
            .then(function (data) {
                $('.lcv-transcript').hidden = true;
                $('.lcv-said').textContent = data.said;
                $('.lcv-said').hidden = false;
            })
            .catch(function (error) { status(error.message); });
    }

    $('.lcv-button').addEventListener('click', function () { open(true); });
    $('.lcv-close').addEventListener('click', function () {
        store.set('dismissed', String(Date.now()));
        open(false);
    });
    $('.lcv-mail').addEventListener('click', function () {
        var form = $('.lcv-transcript');
        form.hidden = !form.hidden;
        $('.lcv-said').hidden = true;
        if (!form.hidden) {
            var email = $('.lcv-transcript-email');
            email.value = email.value || $('.lcv-email').value;
            email.focus();
        }
    });
    $('.lcv-transcript-cancel').addEventListener('click', function () {
        $('.lcv-transcript').hidden = true;
    });
    $('.lcv-transcript').addEventListener('submit', function (event) {
        event.preventDefault();
        sendTranscript($('.lcv-transcript-email').value.trim());
    });
    $('.lcv-compose').addEventListener('submit', function (event) {
        event.preventDefault();
        var input = $('.lcv-input');
        var body = input.value;
        if (!body.trim()) {
            return;
        }
        if (state.away && !$('.lcv-profile').hidden && !$('.lcv-email').value.trim()) {
            status('Leave your email address so that we can answer you.');
            $('.lcv-email').focus();
            return;
        }
        input.value = '';
        start().then(function () { send(body); });
    });
    $('.lcv-attach').addEventListener('click', function () {
        $('.lcv-file-input').click();
    });
    $('.lcv-file-input').addEventListener('change', function (event) {
        var file = event.target.files[0];
        event.target.value = '';
        if (!file) {
            return;
        }
        if (file.size > config.maxFile) {
            status('Files of at most ' + Math.floor(config.maxFile / 1048576) +
                   ' MB are accepted.');
            return;
        }
        var reader = new FileReader();
        reader.onload = function () {
            // A data: URL; the server wants the base64 after the comma.
            var data = String(reader.result).split(',')[1] || '';
            var input = $('.lcv-input');
            var body = input.value;
            input.value = '';
            start().then(function () { send(body, {name: file.name, data: data}); });
        };
        reader.onerror = function () { status('The file could not be read.'); };
        reader.readAsDataURL(file);
    });
    $('.lcv-email').addEventListener('input', function () {
        if (state.away) {
            status('');  // the address asked for is being given
        }
    });
    $('.lcv-input').addEventListener('input', function () {
        if ($('.lcv-input').value) {
            sayTyping();
        }
    });
    $('.lcv-input').addEventListener('keydown', function (event) {
        if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            $('.lcv-send').click();
        }
    });
    $('.lcv-more').addEventListener('click', function () {
        post('/livechat/visitor/history', {key: config.key, token: state.token,
            before_id: state.oldest})
            .then(function (data) {
                data.messages.slice().reverse().forEach(function (m) { render(m, true); });
                $('.lcv-more').hidden = data.messages.length < 50;
            })
            .catch(function (error) { status(error.message); });
    });

    /* Apply the chat's rules to the page shown now. A page the rules hide
     * the button on keeps a window the visitor opened elsewhere: hiding it
     * mid-conversation would lose them. */
    function applyRules() {
        var rule = pageRule();
        state.address = window.location.href;
        state.hidden = rule.action === 'hide';
        if ($('.lcv-panel').hidden) {
            $('.lcv-button').hidden = state.hidden;
        }
        host.dataset.rule = rule.action;
        clearTimeout(state.openTimer);
        if (rule.action === 'open') {
            openLater(rule.delay);
        }
        return rule;
    }

    /* A single-page site changes its address without loading a page: the
     * rules are applied again when it does (the back button, or a check
     * every second: no wrapping of the site's own history calls). */
    function watchAddress() {
        function changed() {
            if (window.location.href !== state.address) {
                applyRules();
                if (state.token && !state.hidden) {
                    start();  // replies count on the button shown now
                }
            }
        }
        window.addEventListener('popstate', changed);
        setInterval(changed, 1000);
    }

    function mount() {
        document.body.appendChild(host);
        applyRules();
        watchAddress();
        if (store.get('open')) {
            open(true);
        } else if (state.token && !state.hidden) {
            // A returning visitor hears replies even with the window closed.
            start();
        }
    }
    if (document.body) {
        mount();
    } else {
        document.addEventListener('DOMContentLoaded', mount);
    }
}
