odoo.define('livechat_sessions.ConversationSearch', function (require) {
'use strict';
/**
 * Search in a conversation (a part of livechat_sessions.Conversation):
 * ``search(text)`` finds the text in the session's name and its messages,
 * older pages included, highlights it and steps through the messages that
 * contain it, newest first. The server finds the hits
 * (``find_messages`` of the conversation's model); the page only marks them.
 */
var core = require('web.core');

var QWeb = core.qweb;

var ConversationSearch = {
    searchEvents: {
        'click .o_lc_hit_prev': '_onPreviousHit',
        'click .o_lc_hit_next': '_onNextHit',
        'click .o_lc_search_clear': '_onClearSearch',
    },

    /**
     * Find ``text`` in the conversation: highlight it, and show the newest
     * message containing it (loading older pages as needed); an empty text
     * ends the search.
     */
    search: function (text) {
        var self = this;
        text = (text || '').trim();
        if (!text) {
            this.found = null;
            this._renderSearch();
            this._renderThread();
            return $.when();
        }
        return this._rpc({
            model: this.options.model,
            method: 'find_messages',
            args: [this.options.sessionId, text],
            kwargs: {timeline: !!this.timeline},
        }).then(function (result) {
            self.found = {
                query: text,
                hits: result.hits,
                nameMatch: result.name_match,
                index: 0,
            };
            self._renderSearch();
            self._renderThread();
            return self._showHit();
        });
    },

    /** The message is the current hit of the search. */
    isCurrentHit: function (message) {
        var hit = this.found && this.found.hits[this.found.index];
        return !!hit && hit.id === message.id;
    },

    _renderSearch: function () {
        this.$('.o_lc_search_bar').replaceWith(QWeb.render(
            'livechat_sessions.Conversation.Search', {widget: this}));
    },

    /**
     * Wrap each occurrence of the searched text in the session's name and
     * the messages' text in <mark>. Only text nodes are split: no markup is
     * built from the text.
     */
    _highlight: function () {
        if (!this.found) {
            return;
        }
        var needle = this.found.query.toLowerCase();
        this.$('.o_lc_session_name, .o_lc_body').each(function () {
            var walker = document.createTreeWalker(this, NodeFilter.SHOW_TEXT);
            var nodes = [];
            while (walker.nextNode()) {
                nodes.push(walker.currentNode);
            }
            _.each(nodes, function (node) {
                var at = node.nodeValue.toLowerCase().indexOf(needle);
                while (at !== -1) {
                    var hit = node.splitText(at);
                    node = hit.splitText(needle.length);
                    var mark = document.createElement('mark');
                    mark.className = 'o_lc_hit';
                    hit.parentNode.replaceChild(mark, hit);
                    mark.appendChild(hit);
                    at = node.nodeValue.toLowerCase().indexOf(needle);
                }
            });
        });
    },

    /** Scroll to the current hit, loading older pages until it is there. */
    _showHit: function () {
        var self = this;
        var hit = this.found && this.found.hits[this.found.index];
        if (!hit) {
            return $.when();
        }
        if (!_.findWhere(this.messages, {id: hit.id}) && this.hasMore) {
            return this._loadEarlier(100).then(function () {
                return self._showHit();
            });
        }
        this._renderThread();
        var $message = this.$('.o_lc_message[data-id=' + hit.id + ']');
        $message.addClass('o_lc_hit_current');
        if ($message.length) {
            $message[0].scrollIntoView({block: 'center'});
        }
        this._renderSearch();
        return $.when();
    },

    _onPreviousHit: function (ev) {
        ev.preventDefault();
        // Hits are newest first: "previous" goes up the conversation.
        if (this.found && this.found.index < this.found.hits.length - 1) {
            this.found.index++;
            this._showHit();
        }
    },

    _onNextHit: function (ev) {
        ev.preventDefault();
        if (this.found && this.found.index > 0) {
            this.found.index--;
            this._showHit();
        }
    },

    _onClearSearch: function (ev) {
        ev.preventDefault();
        this.search('');
        this.trigger_up('livechat_search_cleared');
    },
};

return ConversationSearch;
});
