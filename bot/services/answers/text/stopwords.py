"""Function words of each language: they say how a question is asked, not what it is about."""

from __future__ import annotations

from typing import Final

from bot.core.languages import Language

_VI: Final = """
a à ạ à ơi ấy ai anh bạn bao bằng bị bởi các cái cả cần chị cho chứ chưa có của cùng cũng đã đang đây để đến đi
được đều điều đó em gì giúp hay hãy hả hết hỏi khi không là làm lại lên mà mình muốn mấy nào này nên nếu nhé
nhỉ những nhiều như nữa ở ông phải qua ra rằng rồi sao sẽ tại thì thế theo tôi trên trong từ vào vẫn về với vậy
xin xem
"""
# Written without diacritics: evidence of the language, never left out of a query (chua may be chưa or chùa).
_VI_PLAIN: Final = """
ạ ah oi ay ai ban bao bang bi boi cac cai ca can chi cho chu chua cua cung cu da dang day de den di duoc deu do
em gi giup hay hoi het khi khong ko k dc j la lam lai len ma minh muon may nao nay nen neu nhe nhi nhung nhieu
nhu nua o ong phai qua ra rang roi sao se tai thi the theo toi tren trong tu vao van ve voi vay xin xem vs z v
"""
_EN: Final = """
a about after all also am an and any anyone are as at be because been before being but by can could did do does
doing don't for from get got had has have having he her here him his how i i'm if in into is isn't it it's its
just let me my myself no not of off on once one only or other our out over please so some such than that the
their them then there these they this those to too under until up us very was we were what when where which
while who whom why will with would you your yours yes ok okay hi hello thanks thank there's what's where's
whats wheres dont cant can't i'd i've should must may might anything something tell know want need like get
"""
_FR: Final = """
à a ai as au aux avec avez avoir c ça ce ces cet cette comment d dans de des du elle elles en est et être eu
faut fait il ils j je l la le les leur leurs lui m ma mais me même mes moi mon n ne ni nos notre nous on ont
ou où par pas peut peux pour pourquoi qu quand que quel quelle quelles quels qui s sa sans se ses si son sont
sur t ta te tes toi ton tu un une vos votre vous y est-ce bonjour merci svp s'il plaît faire puis-je peut-on
suis es sommes êtes ai avons ont été était étais peuvent pouvez pouvons veux voudrais voudrait dois doit devez
il y a-t-il quoi lequel laquelle aussi très bien alors donc
"""
_RU: Final = """
а без более бы был была были было быть в вам вас весь во вот все всё вы где да для до его ее её если есть еще
ещё же за здесь и из или им их к как какая какие каким какой когда кого ком кому который ли мне мной мы на над
нам нас не него нет ни но ну о об он она они оно от по под при про с со так также там те тем то того тоже той
только том ты у уже хотя чего чей чем что чтобы эта эти это этот я можно нужно ли пожалуйста здравствуйте
спасибо подскажите скажите сколько
"""
_ZH: Final = """
的 了 吗 呢 吧 啊 是 我 你 您 他 她 们 这 那 哪 有 在 和 与 及 或 就 都 也 还 要 会 能 可以 可 请 问 什么 怎么 怎样
为什么 多少 几 吗？ 一 个 么 谁 给 把 被 让 对 从 到 上 下 里 中 吧
"""
_JA: Final = """
は が を に で と の も か ね よ な へ や から まで より です ます でした ました ですか ますか ください ありますか
いますか でしょうか ですが けど ので って これ それ あれ どれ この その あの どの 何 なに どう どうやって
いつ どこ だれ 誰 いくら する します できます できる ある いる なる こと もの ため ほう
"""
_KO: Final = """
은 는 이 가 을 를 에 에서 의 도 와 과 로 으로 요 나요 까요 어요 아요 해요 하나요 인가요 있나요 있어요 돼요
되나요 뭐 무엇 어디 언제 어떻게 왜 누구 얼마 몇 좀 수 있 저 제 우리 그 이것 그것
"""

# Endings and particles that Korean glues to words, as the character pairs they leave in a question.
_KO_ENDINGS: Final = """
어요 아요 해요 나요 까요 세요 니다 습니 있어 있나 하나 되나 돼요 에서 으로 인가 가요 데요 는데 은데 이에 예요 에요
이에요 할까 을까 려면 으면 하면 해야 야해 하는 있는 되는 는지 은지 할수 수있
"""

STOPWORDS: Final[dict[Language, frozenset[str]]] = {
    "vi": frozenset(_VI.split()),
    "en": frozenset(_EN.split()),
    "fr": frozenset(_FR.split()),
    "ru": frozenset(_RU.split()),
    "zh": frozenset(_ZH.split()),
    "ja": frozenset(_JA.split()),
    "ko": frozenset(_KO.split()),
}
VIETNAMESE_PLAIN: Final = frozenset(_VI_PLAIN.split())
"""Vietnamese function words as typed without diacritics (for telling the language, not for dropping words)."""
VIETNAMESE_PLAIN_STOPWORDS: Final = frozenset(
    [
        "ko",
        "k",
        "khong",
        "khg",
        "dc",
        "duoc",
        "j",
        "gi",
        "nhe",
        "nhi",
        "ah",
        "oi",
        "toi",
        "minh",
        "nao",
        "sao",
        "thi",
        "la",
        "cua",
        "voi",
        "nhung",
        "cac",
        "nay",
        "hay",
        "hoac",
        "roi",
        "se",
        "da",
        "dang",
        "bi",
        "vay",
        "z",
        "v",
        "vs",
        "ak",
        "a",
    ]
)
"""The plain spellings that can only be function words (unlike co, which may be có or Cổ)."""
_KO_PAIRS: Final = frozenset(_KO_ENDINGS.split())


def _hiragana(char: str) -> bool:
    return "\u3040" <= char <= "\u309f"


def is_function_word(word: str, folded: str, lang: Language) -> bool:
    """True if an alphabetic word says how the question is asked rather than what about."""
    if lang == "vi":
        return word in STOPWORDS["vi"] or (word == folded and word in VIETNAMESE_PLAIN_STOPWORDS)
    stops = STOPWORDS.get(lang, frozenset())
    return word in stops or folded in stops


def is_function_gram(gram: str, lang: Language) -> bool:
    """True if a CJK character pair is grammar: all hiragana, a Korean ending, Chinese function characters."""
    if all(_hiragana(ch) for ch in gram):
        return True
    if gram in _KO_PAIRS:
        return True
    stops = STOPWORDS["zh"] if lang == "zh" else STOPWORDS.get(lang, frozenset())
    return gram in stops or (lang == "zh" and all(ch in stops for ch in gram))
