# Usage: python3 gen.py OUTDIR (writes NN.html and NN.txt).
# Generates our Arabic test pages: realistic outlet layouts around our own article texts.
import random, html, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from articles import ARTICLES, COMMENTS, AUTHORS
OUT = sys.argv[1]
E = html.escape
MENU = ["الرئيسية", "أخبار", "سياسة", "اقتصاد", "رياضة", "منوعات", "فيديو", "رأي", "تقارير", "فلسطين"]
SHARE = ["فيسبوك", "تويتر", "واتساب", "تيليجرام", "نسخ الرابط"]
DATES = ["الأحد 12 أكتوبر 2025 - 10:45 ص", "الاثنين 13 أكتوبر 2025 | 02:10 م", "الخميس 9 أكتوبر 2025 08:30", "السبت 18 أكتوبر 2025", "الثلاثاء 4 نوفمبر 2025 - 06:15 م", "الأربعاء 19 نوفمبر 2025"]

def titles(i, n, rng):
    others = [a[0] for j, a in enumerate(ARTICLES) if j != i]
    rng.shuffle(others)
    return others[:n]

def summary(t):
    for a in ARTICLES:
        if a[0] == t:
            return a[1][0].split('،')[0]
    return ''

def nav(rng):
    cls = rng.choice(["main-menu", "navbar", "top-nav", "site-nav"])
    items = ''.join(f'<li><a href="/section/{k}">{m}</a></li>' for k, m in enumerate(MENU))
    return f'<header class="site-header"><div class="logo"><a href="/">الموقع الإخباري</a></div><nav class="{cls}"><ul>{items}</ul></nav></header>'

def ticker(i, rng):
    cls = rng.choice(["breaking-ticker", "news-bar", "urgent-strip", "akhbar-ajel", "ticker-wrap"])
    ts = titles(i, 4, rng)
    if rng.random() < .5:
        items = ''.join(f'<li><a href="/n/{k}">{E(t)}</a></li>' for k, t in enumerate(ts))
        return f'<div class="{cls}"><span class="label">عاجل</span><ul>{items}</ul></div>'
    items = ' &bull; '.join(f'<a href="/n/{k}">{E(t)}</a>' for k, t in enumerate(ts))
    return f'<div class="{cls}"><strong>عاجل</strong><marquee direction="right">{items}</marquee></div>'

def share(rng):
    cls = rng.choice(["share-bar", "social-share", "sharing-tools", "article-share", "shr-btns"])
    label = rng.choice(["شارك:", "شارك الخبر", "مشاركة", ""])
    links = ''.join(f'<a class="s-{k}" href="https://share.example/{k}">{s}</a>' for k, s in enumerate(SHARE))
    extra = rng.choice(['', '<a href="javascript:print()">طباعة</a>', '<span class="font">حجم الخط</span>'])
    return f'<div class="{cls}"><span>{label}</span>{links}{extra}</div>'

def related(i, rng, n=None):
    cls = rng.choice(["related-news", "more-stories", "read-more-list", "mawadi3", "similar-posts", "rel-articles"])
    head = rng.choice(["اقرأ أيضاً", "أخبار ذات صلة", "موضوعات ذات صلة", "الأكثر قراءة", "المزيد من الأخبار", "قد يهمك أيضا"])
    ts = titles(i, n or rng.randint(4, 8), rng)
    withtime = rng.random() < .4
    items = ''.join(f'<li><a href="/news/{rng.randint(1000,9999)}">{E(t)}</a>' + (f'<span class="time">منذ {k+1} ساعة</span>' if withtime else '') + '</li>' for k, t in enumerate(ts))
    return f'<section class="{cls}"><h3>{head}</h3><ul>{items}</ul></section>'

def teasers(i, rng):
    cls = rng.choice(["more-news-grid", "cards", "latest-block", "home-teasers"])
    ts = titles(i, 4, rng)
    cards = ''.join(f'<div class="card"><a href="/n/{rng.randint(100,999)}"><img src="/i/{k}.jpg" alt=""></a><h3><a href="/n/{k}">{E(t)}</a></h3><p>{E(summary(t))}</p></div>' for k, t in enumerate(ts))
    return f'<div class="{cls}"><h2>{rng.choice(["آخر الأخبار", "المزيد", "أخبار أخرى"])}</h2>{cards}</div>'

def comments(rng):
    cls = rng.choice(["comments", "user-comments", "ta3liqat", "comment-list"])
    cs = rng.sample(COMMENTS, rng.randint(2, 5))
    items = ''.join(f'<div class="comment-item"><span class="c-name">{E(rng.choice(AUTHORS).split()[0])}</span><span class="c-date">منذ {k+2} ساعات</span><p>{E(c)}</p></div>' for k, c in enumerate(cs))
    form = '<form class="add-comment"><h4>أضف تعليقك</h4><input name="name" placeholder="الاسم"><textarea placeholder="التعليق"></textarea><button>إرسال</button></form>'
    return f'<section class="{cls}" id="comments"><h3>التعليقات ({len(cs)})</h3>{items}{form}</section>'

def tags(i, rng):
    words = ["غزة", "وقف إطلاق النار", "مصر", "قطر", "تركيا", "الولايات المتحدة", "حماس", "إسرائيل", "المساعدات"]
    ws = rng.sample(words, 4)
    return '<div class="tags"><span>الكلمات الدالة:</span>' + ''.join(f'<a href="/tag/{E(w)}">{E(w)}</a>' for w in ws) + '</div>'

def ad(rng):
    return rng.choice([
        '<div class="ad-slot"><span>إعلان</span><script>googletag.cmd.push(function(){googletag.display("div-gpt-1");});</script></div>',
        '<ins class="adsbygoogle" style="display:block" data-ad-client="ca-pub-1"></ins><script>(adsbygoogle=window.adsbygoogle||[]).push({});</script>',
        '<div class="dfp-ad inread"><div id="div-gpt-ad-2">إعلان</div></div>',
        '<div class="advertisement"><p>مساحة إعلانية</p></div>'])

def inline_readalso(i, rng):
    t = titles(i, 3, rng)
    k = rng.randint(0, 3)
    if k == 0:
        return f'<p><strong>اقرأ أيضاً:</strong> <a href="/n/1">{E(t[0])}</a></p>'
    if k == 1:
        return f'<div class="read-also"><span>طالع أيضا</span><ul><li><a href="/n/2">{E(t[0])}</a></li><li><a href="/n/3">{E(t[1])}</a></li></ul></div>'
    if k == 2:
        return f'<p>إقرأ أيضا: <a href="/n/4">{E(t[0])}</a></p>'
    return f'<blockquote class="related-inline"><a href="/n/5">شاهد أيضا: {E(t[0])}</a></blockquote>'

def footer(rng):
    return ('<footer><div class="footer-links"><a href="/about">من نحن</a><a href="/contact">اتصل بنا</a>'
            '<a href="/privacy">سياسة الخصوصية</a></div><p class="copy">جميع الحقوق محفوظة © 2025 الموقع الإخباري</p></footer>')

def head(i, title, rng, lang=True):
    lang_attr = ' lang="ar" dir="rtl"' if lang else ' dir="rtl"'
    canon = f'<link rel="canonical" href="https://www.example-news.com/news/{1000+i}?utm_source=feed&amp;id={i}">'
    ld = ''
    if rng.random() < .5:
        ld = ('<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"%s",'
              '"datePublished":"2025-10-%02dT09:00:00+03:00","author":{"@type":"Person","name":"%s"}}</script>') % (title, 8 + i % 20, AUTHORS[i % len(AUTHORS)])
    return (f'<!DOCTYPE html><html{lang_attr}><head><meta charset="utf-8"><title>{E(title)} | الموقع الإخباري</title>'
            f'<meta property="og:title" content="{E(title)}">{canon}{ld}<style>.x{{color:red}}</style></head>')

def paras_html(paras, rng, style, extras):
    """extras: dict position->html inserted after paragraph index"""
    out = []
    for k, p in enumerate(paras):
        if style == 'p':
            out.append(f'<p>{E(p)}</p>')
        elif style == 'span':
            out.append(f'<p><span style="font-size:16px">{E(p)}</span></p>')
        elif style == 'div':
            out.append(f'<div class="para">{E(p)}</div>')
        elif style == 'br':
            out.append(E(p) + ('<br><br>' if k < len(paras) - 1 else ''))
        for x in extras.get(k, []):
            out.append(x)
    return '\n'.join(out)

def build(i):
    rng = random.Random(1000 + i)
    title, paras = ARTICLES[i]
    paras = list(paras)
    expected = list(paras)
    t = i % 10
    author = AUTHORS[i % len(AUTHORS)]
    date = rng.choice(DATES)
    mid = max(0, len(paras) // 2 - 1)
    style = ['p', 'span', 'div', 'br', 'p', 'p', 'span', 'p', 'div', 'p'][t]
    extras = {}
    # subheading inside some bodies: it is article text, so it is expected
    if t in (4, 9) and len(paras) >= 4:
        sub = "تفاصيل إضافية"
        extras.setdefault(1, []).append(f'<h2>{sub}</h2>')
        expected.insert(2, sub)
    # every page has at least one inline intrusion inside the body
    extras.setdefault(mid, []).append(inline_readalso(i, rng))
    if t in (0, 2, 3, 5, 7, 8):
        extras.setdefault(0, []).append(ad(rng))
    if t in (1, 6):
        extras.setdefault(len(paras) - 2, []).append(related(i, rng, 3))
    if t == 8:
        extras.setdefault(mid, []).append('<figure><img src="/i/main.jpg" alt=""><figcaption>صورة أرشيفية من قطاع غزة</figcaption></figure>')
    body = paras_html(paras, rng, style, extras)
    byline = rng.choice([f'<div class="byline">كتب: <a href="/author/1">{author}</a></div>',
                         f'<span class="author">{author}</span>',
                         f'<p class="writer">بقلم: {author}</p>'])
    dateline = f'<time datetime="2025-10-{8 + i % 20:02d}T09:00:00+03:00">{date}</time>'
    bodycls = rng.choice(["article-body", "entry-content", "news-text", "story-body", "content-text", "field-item", "post-content"])
    wrap = rng.choice(["article", "div", "section"])
    lang = t != 7
    pieces = {'nav': nav(rng), 'ticker': ticker(i, rng), 'share': share(rng), 'related': related(i, rng),
              'teasers': teasers(i, rng), 'comments': comments(rng), 'tags': tags(i, rng), 'footer': footer(rng)}
    h1 = f'<h1 class="{rng.choice(["title", "headline", "post-title", "news-title"])}">{E(title)}</h1>'
    meta = f'<div class="meta">{byline}{dateline}</div>'
    main_body = f'<div class="{bodycls}">\n{body}\n</div>'
    if t == 0:   # wide news portal: ticker, body, share, related aside, comments
        page = f"{pieces['nav']}{pieces['ticker']}<main><{wrap} class=\"news-article\">{h1}{meta}{pieces['share']}{main_body}{pieces['tags']}</{wrap}><aside class=\"sidebar\">{pieces['related']}</aside>{pieces['comments']}</main>{pieces['footer']}"
    elif t == 1:  # old table layout, br-separated body? (style span) related list inside body
        page = f"{pieces['nav']}<table width=\"100%\"><tr><td class=\"right-col\">{pieces['related']}</td><td class=\"main-col\">{h1}{meta}{main_body}{pieces['share']}</td></tr></table>{pieces['footer']}"
    elif t == 2:  # div-per-paragraph body, comments and teasers after
        page = f"{pieces['ticker']}{pieces['nav']}<div class=\"container\"><div class=\"row\"><div class=\"col-md-8\">{h1}{meta}{main_body}{pieces['share']}{pieces['comments']}</div><div class=\"col-md-4\">{pieces['related']}</div></div>{pieces['teasers']}</div>{pieces['footer']}"
    elif t == 3:  # br-separated text in one div
        page = f"{pieces['nav']}<div id=\"content\">{h1}{meta}<div class=\"news-details\">{main_body}</div>{pieces['tags']}{pieces['share']}{pieces['related']}</div>{pieces['footer']}"
    elif t == 4:  # subheads, related before and after, newsletter box
        news = '<div class="newsletter"><h4>اشترك في النشرة البريدية</h4><p>احصل على أهم الأخبار يوميا في بريدك</p><input type="email"><button>اشترك</button></div>'
        page = f"{pieces['nav']}<{wrap} class=\"story\">{h1}{pieces['share']}{meta}{main_body}{news}</{wrap}>{pieces['related']}{pieces['teasers']}{pieces['footer']}"
    elif t == 5:  # blog style with long comments
        page = f"{pieces['nav']}<div class=\"post\">{h1}{meta}{main_body}{pieces['tags']}</div>{pieces['comments']}{pieces['related']}{pieces['footer']}"
    elif t == 6:  # span-wrapped paragraphs, ticker at bottom, most read
        page = f"{pieces['nav']}<div class=\"page\"><div class=\"article-head\">{h1}{meta}</div>{main_body}{pieces['share']}</div>{pieces['related']}{pieces['ticker']}{pieces['footer']}"
    elif t == 7:  # no lang attribute, json-ld maybe, teasers grid
        page = f"{pieces['nav']}{pieces['ticker']}<{wrap} id=\"art\">{h1}{meta}{main_body}</{wrap}>{pieces['teasers']}{pieces['comments']}{pieces['footer']}"
    elif t == 8:  # figure inside, ad at top, div paragraphs
        page = f"{pieces['nav']}<div class=\"wrapper\"><div class=\"main\">{h1}{meta}{pieces['share']}{main_body}{pieces['share']}</div><div class=\"side\">{pieces['related']}</div></div>{pieces['footer']}"
    else:        # minimal article tag with everything after
        page = f"{pieces['nav']}<article>{h1}{meta}{main_body}{pieces['share']}{pieces['tags']}{pieces['related']}{pieces['comments']}</article>{pieces['footer']}"
    doc = head(i, title, rng, lang) + f'<body>{page}</body></html>\n'
    return doc, '\n\n'.join(expected) + '\n'

os.makedirs(OUT, exist_ok=True)
for i in range(len(ARTICLES)):
    d, e = build(i)
    name = f'{i+1:02d}'
    open(os.path.join(OUT, name + '.html'), 'w').write(d)
    open(os.path.join(OUT, name + '.txt'), 'w').write(e)
print(len(ARTICLES), 'pages')
