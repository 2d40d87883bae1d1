"""Whether a question asks for one field of an item: its date, its place, its fee or what to bring."""

from __future__ import annotations

import re
from typing import Final, Literal

from bot.core.languages import Language
from bot.services.answers.text.folding import fold, normalize

Field = Literal["date", "place", "fee", "bring"]

# Patterns run on the normalised question; Vietnamese and the Latin-script languages also on its folded form,
# so "bao gio" (typed without diacritics) reads like "bao giờ". Money, not "how many", makes a fee.
_PATTERNS: Final[dict[Language, dict[Field, str]]] = {
    "en": {
        "bring": r"\bbring\b|\btake with\b|\bpack\b|\bwear\b|\bdress code\b|\bneed to have\b",
        "fee": r"\bhow much (?:is|are|does|do|will|would|for|to)\b|\bcosts?\b|\bprices?\b|\bfees?\b|\bpay\b|"
        r"\bcharges?\b|\bfree\b|\bexpensive\b|\bvnd\b|\bdong\b",
        "date": r"\bwhen\b|\bwhat time\b|\bwhich day\b|\bwhat day\b|\bwhat date\b|\bdates?\b|\bschedule\b|"
        r"\bstart(?:s|ing)?\b|\bdeadline\b|\bhours\b|\bdepart",
        "place": r"\bwhere\b|\baddress\b|\blocation\b|\bvenue\b|\bmeeting point\b|\bhow (?:do i |to )?get to\b",
    },
    "fr": {
        "bring": r"\bapporter\b|\bemporter\b|\bprendre avec\b|\bporter\b|\btenue\b|\bs'habiller\b",
        "fee": r"\bcombien (?:co[uû]te|faut-il payer|ça co[uû]te|ca coute)|\bco[uû]t|\bprix\b|\btarifs?\b|\bfrais\b|"
        r"\bpayer\b|\bpayant|\bgratuit",
        "date": r"\bquand\b|\bquelle date\b|\bquel jour\b|\bquelle heure\b|\bà quelle heure\b|\bhoraires?\b|"
        r"\bdates?\b|\bcommence|\bdébut\b|\bdate limite\b",
        "place": r"\boù\b|\badresse\b|\blieu\b|\bpoint de rendez-vous\b|\bse trouve\b|\ballet à\b",
    },
    "vi": {
        "bring": r"\bmang theo\b|\bmang gì\b|\bcần mang\b|\bmặc gì\b|\bmặc như thế nào\b|\bchuẩn bị gì\b",
        "fee": r"\bbao nhiêu tiền\b|\bgiá (?:vé|tiền|bao nhiêu)\b|\bphí\b|\bhọc phí\b|\bchi phí\b|\bmiễn phí\b|"
        r"\bmất tiền\b|\btrả tiền\b|\bđóng tiền\b|\bnộp tiền\b",
        "date": r"\bkhi nào\b|\bbao giờ\b|\bngày nào\b|\bngày mấy\b|\bmấy giờ\b|\blúc nào\b|\bhôm nào\b|"
        r"\bthứ mấy\b|\blịch (?:học|trình)\b|\bhạn chót\b|\bhạn đăng ký\b|\bkhai giảng\b|\bkhởi hành\b",
        "place": r"\bở đâu\b|\bchỗ nào\b|\bnơi nào\b|\bđịa chỉ\b|\bđịa điểm\b|\bđi đến\b|\bđến đâu\b|\btập trung\b",
    },
    "ru": {
        "bring": r"\bчто (?:взять|брать|надеть|принести)\b|\bнужн[оы] ли\b.*\bс собой\b|\bнадеть\b|\bодеться\b",
        "fee": r"\bсколько сто(?:ит|ят)\b|\bстоимост|\bцен[аыу]\b|\bплат|\bбесплатн|\bдонг",
        "date": r"\bкогда\b|\bкакого числа\b|\bво сколько\b|\bв какой день\b|\bв какие дни\b|\bдат[аыу]\b|"
        r"\bрасписани|\bначинает|\bсрок",
        "place": r"\bгде\b|\bкуда\b|\bадрес|\bместо сбора\b|\bместе сбора\b|\bкак добраться\b",
    },
    "zh": {
        "bring": r"带|穿什么|穿着|着装|准备什么",
        "fee": r"多少钱|费用|价格|学费|收费|付款|付费|免费|多少越南盾|票价",
        "date": r"什么时候|几点|哪天|几号|哪一天|日期|时间|星期几|截止",
        "place": r"哪里|哪儿|在哪|地址|地点|集合点|怎么去",
    },
    "ja": {
        "bring": r"持って|持ち物|持参|服装|何を着|着て",
        "fee": r"いくら|料金|費用|値段|受講料|参加費|支払|無料|有料",
        "date": r"いつ|何時|何日|何曜日|日程|日時|締め切り|締切|スケジュール",
        "place": r"どこ|場所|住所|集合場所|行き方",
    },
    "ko": {
        "bring": r"가져가|가져와|챙겨|준비물|입고|옷차림|복장",
        "fee": r"얼마|비용|요금|가격|수강료|참가비|결제|무료|유료",
        "date": r"언제|몇 ?시|며칠|날짜|무슨 요일|일정|마감",
        "place": r"어디|장소|주소|위치|집합 장소|가는 방법|가는 길",
    },
}
_ORDER: Final[tuple[Field, ...]] = ("bring", "fee", "date", "place")
_COMPILED: Final = {
    lang: {name: re.compile(pattern) for name, pattern in patterns.items()} for lang, patterns in _PATTERNS.items()
}
_FOLDED: Final = {
    lang: {name: re.compile(fold(pattern)) for name, pattern in patterns.items()}
    for lang, patterns in _PATTERNS.items()
    if lang in ("vi", "fr")
}


def field_asked(question: str, lang: Language) -> Field | None:
    """The field ``question`` asks for ("date", "place", "fee", "bring"), or None when it asks about the item."""
    text = normalize(question)
    folded = fold(question)
    for name in _ORDER:
        if _COMPILED[lang][name].search(text):
            return name
        if lang in _FOLDED and _FOLDED[lang][name].search(folded):
            return name
    return None
