# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The attack corpus: markup a customer (or a careless operator) may send,
each piece calling ``__xss(<id>)`` if it ever runs in a page.

Plain Python, shared by the Odoo tests (what is stored) and the browser
tests (what a person sees and clicks: tests/browser/test_xss.py). Vectors
cover HTML and attribute injection, Bootstrap 3's data-API, CSS overlays,
SVG and MathML, ``javascript:``/``data:``/``vbscript:`` URLs, entity and
encoding tricks, parser confusion and polyglots; each vector is sent bare
and inside two kinds of allowed markup.
"""

#: ``{id}`` is replaced by the payload's number.
VECTORS = [
    "<script>__xss({id})</script>",
    "<img src=x onerror=__xss({id})>",
    "<svg onload=__xss({id})>",
    "<svg><script>__xss({id})</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=__xss({id})>",
    '<a href="javascript:__xss({id})">click me</a>',
    '<a href="jav&#x09;ascript:__xss({id})">click me</a>',
    '<a href="&#106;&#97;vascript:__xss({id})">click me</a>',
    '<a href="data:text/html,&lt;script&gt;parent.__xss({id})&lt;/script&gt;">data</a>',
    '<a href=" \x01javascript:__xss({id})">click me</a>',
    '<a data-toggle="collapse" data-target="<img src=x onerror=__xss({id})>">'
    "collapse</a>",
    '<div data-toggle="modal" data-target="<img src=x onerror=__xss({id})>">'
    "modal</div>",
    '<button data-toggle="tooltip" data-html="true" '
    'title="<img src=x onerror=__xss({id})>">tip</button>',
    '<span data-toggle="popover" data-trigger="click" data-html="true" '
    'data-content="<img src=x onerror=__xss({id})>">pop</span>',
    '<a data-toggle="dropdown" data-target="<img src=x onerror=__xss({id})>">'
    "dropdown</a>",
    '<a data-toggle="tab" href="#<img src=x onerror=__xss({id})>">tab</a>',
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%;'
    'z-index:99999;background:red" onclick="__xss({id})">cover</div>',
    '<a style="position:fixed;top:0;left:0;right:0;bottom:0;z-index:99999" '
    'href="javascript:__xss({id})">overlay</a>',
    '<div class="modal-backdrop in o_lc_message">classes</div>',
    '<iframe src="javascript:parent.__xss({id})"></iframe>',
    '<iframe srcdoc="&lt;script&gt;parent.__xss({id})&lt;/script&gt;"></iframe>',
    '<object data="javascript:parent.__xss({id})"></object>',
    '<embed src="javascript:parent.__xss({id})">',
    '<form action="javascript:__xss({id})"><button>send</button></form>',
    "<input autofocus onfocus=__xss({id})>",
    "<details open ontoggle=__xss({id})>details</details>",
    "<body onload=__xss({id})>body",
    "<video><source onerror=__xss({id})></video>",
    "<audio src=x onerror=__xss({id})>",
    "<marquee onstart=__xss({id})>marquee</marquee>",
    "<p onmouseover=__xss({id}) onclick=__xss({id})>hover or click</p>",
    '"><img src=x onerror=__xss({id})>',
    "'><svg onload=__xss({id})>",
    "</textarea><script>__xss({id})</script>",
    "</title><script>__xss({id})</script>",
    "<scr<script>ipt>__xss({id})</scr</script>ipt>",
    "&lt;img src=x onerror=__xss({id})&gt;",
    "<IMG SRC=x OnErRoR=__xss({id})>",
    '<img src="x"\nonerror=__xss({id})>',
    '<svg><a xlink:href="javascript:__xss({id})"><text y=20>svg link</text></a>'
    "</svg>",
    '<math href="javascript:__xss({id})">math link</math>',
    '<a href="vbscript:__xss({id})">vbscript</a>',
    '<base href="javascript:__xss({id})//">',
    '<link rel=stylesheet href="javascript:__xss({id})">',
    '<meta http-equiv="refresh" content="0;url=javascript:__xss({id})">',
    "<style>@import 'javascript:__xss({id})';*{{display:none}}</style>",
    '<div style="background:url(javascript:__xss({id}))">background</div>',
    "<img src=x:x onerror=__xss({id})//",
    '<!--<img src="--><img src=x onerror=__xss({id})//">',
    '<noscript><p title="</noscript><img src=x onerror=__xss({id})>"></noscript>',
    "<template><img src=x onerror=__xss({id})></template>",
    '<a href="https://example.com/" onclick="__xss({id})">safe link, bad handler</a>',
    "javascript:__xss({id})",
    "{{{{constructor.constructor('__xss({id})')()}}}}",
    '<img srcset="x" onerror="__xss({id})">',
    "<svg><animate onbegin=__xss({id}) attributeName=x dur=1s>",
    '<svg><set attributeName=href to="javascript:__xss({id})"/></svg>',
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=__xss({id}) )//%0D%0A"
    "//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=__xss({id})"
    "//>\\x3e",
    "<x onclick=__xss({id})>custom element</x>",
    '<a href="https://example.com/?q=<script>__xss({id})</script>">escaped query</a>',
    "<select><option><style></option></select><img src=x onerror=__xss({id})>"
    "</style>",
    "<svg><foreignObject><iframe srcdoc='&lt;script&gt;parent.__xss({id})"
    "&lt;/script&gt;'></iframe></foreignObject></svg>",
]

#: Each vector bare, and inside markup the allowlist keeps.
WRAPPERS = ["{}", "<p>before {} after</p>", "<blockquote><b>{}</b></blockquote>"]


def payloads():
    """[(id, payload)]: every vector in every wrapper, numbered from 1."""
    result = []
    for wrapper in WRAPPERS:
        for vector in VECTORS:
            number = len(result) + 1
            result.append((number, wrapper.format(vector.format(id=number))))
    return result
