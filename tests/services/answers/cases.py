"""Questions written for these tests, in all seven languages, with the content ids that answer them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    """A question as a user might type it; ``accept`` empty means no content answers it."""

    q: str
    lang: str
    accept: tuple[str, ...]
    romanized: bool = False


IN_SCOPE: tuple[Case, ...] = (
    Case("Lớp nâng cao học vào thứ mấy?", "vi", ("vietnamese-advanced", "class-schedule")),
    Case("Chùa Thầy có nhà thủy đình múa rối nước không?", "vi", ("chua-thay", "spring-2027-chua-thay")),
    Case("Đăng ký chuyến du xuân hữu nghị như thế nào?", "vi", ("register-tour",)),
    Case("Giải chạy vì trẻ em tổ chức ở đâu?", "vi", ("run-for-children",)),
    Case("Văn phòng HAUFO làm việc mấy giờ?", "vi", ("contact",)),
    Case("Tôi muốn ủng hộ chương trình từ thiện của HAUFO", "vi", ("donate",)),
    Case("Hoàng thành Thăng Long mở cửa những ngày nào?", "vi", ("thang-long-citadel",)),
    Case("chuyen di co loa khoi hanh luc may gio", "vi", ("spring-2027-co-loa", "tour-meeting-point"), True),
    Case("lam the nao de huy dang ky", "vi", ("cancel-registration",), True),
    Case("lang gom bat trang co gi de xem", "vi", ("bat-trang",), True),
    Case("How do I sign up for a spring tour?", "en", ("register-tour",)),
    Case("What is there to see at Thay Pagoda?", "en", ("chua-thay",)),
    Case("When is the peace tree planting?", "en", ("peace-tree-planting",)),
    Case("Can I switch the bot to French?", "en", ("change-language",)),
    Case("Is the Friendship and Cooperation newsletter free?", "en", ("newsletter",)),
    Case("How many places are there in the intermediate course?", "en", ("vietnamese-intermediate",)),
    Case("Who was Saint Giong?", "en", ("den-phu-dong",)),
    Case("Comment s'inscrire au cours de vietnamien ?", "fr", ("register-class",)),
    Case("Que voir à la citadelle de Cổ Loa ?", "fr", ("co-loa",)),
    Case("Où a lieu la fête du Nouvel An asiatique ?", "fr", ("asian-new-year-festival",)),
    Case("Quand est-ce que je reçois les rappels ?", "fr", ("reminders",)),
    Case("Quelles associations d'amitié sont membres de l'HAUFO ?", "fr", ("member-associations", "about-haufo")),
    Case("Que faut-il emporter pour la sortie de printemps ?", "fr", ("tour-what-to-bring",)),
    Case("Peut-on faire de la poterie à Bát Tràng ?", "fr", ("bat-trang", "spring-2027-co-loa")),
    Case("Сколько стоит продвинутый курс?", "ru", ("vietnamese-advanced", "class-fee")),
    Case("Что посмотреть в цитадели Шонтэй?", "ru", ("son-tay-citadel",)),
    Case("Как записаться на весеннюю поездку дружбы?", "ru", ("register-tour",)),
    Case("Где проходит посадка деревьев мира?", "ru", ("peace-tree-planting",)),
    Case("Как долго вы храните мои персональные данные?", "ru", ("privacy",)),
    Case("Как связаться с офисом HAUFO?", "ru", ("contact",)),
    Case("Как работает лист ожидания?", "ru", ("waitlist",)),
    Case("高级班每周几上课？", "zh", ("vietnamese-advanced", "class-schedule")),
    Case("唐林古村有什么特色菜？", "zh", ("duong-lam",)),
    Case("怎么取消报名？", "zh", ("cancel-registration",)),
    Case("和平文化日在哪里举办？", "zh", ("peace-culture-day",)),
    Case("可以带朋友一起参加春游吗？", "zh", ("tour-guests",)),
    Case("怎么订阅《友谊与合作》简报？", "zh", ("newsletter",)),
    Case("升龙皇城门票多少钱？", "zh", ("thang-long-citadel",)),
    Case("中級クラスの受講料はいくらですか", "ja", ("vietnamese-intermediate", "class-fee")),
    Case("タイ寺の水上人形劇の舞台はどこにありますか", "ja", ("chua-thay",)),
    Case("ツアーの集合場所はどこですか", "ja", ("tour-meeting-point",)),
    Case("リマインダーはいつ届きますか", "ja", ("reminders",)),
    Case("HAUFOとはどんな団体ですか", "ja", ("about-haufo",)),
    Case("バッチャン村では何が作られていますか", "ja", ("bat-trang",)),
    Case("アジア諸国伝統新年フェスティバルはどこで開かれますか", "ja", ("asian-new-year-festival",)),
    Case("고급반 수업은 무슨 요일이에요?", "ko", ("vietnamese-advanced", "class-schedule")),
    Case("탕롱 황성은 몇 시에 문을 열어요?", "ko", ("thang-long-citadel",)),
    Case("봄나들이 투어 신청은 어떻게 해요?", "ko", ("register-tour",)),
    Case("평화의 도시 문화의 날 행사는 어디서 열려요?", "ko", ("peace-culture-day",)),
    Case("대기자 명단은 어떻게 운영돼요?", "ko", ("waitlist",)),
    Case("기부금은 어디에 쓰여요?", "ko", ("donate",)),
    Case("투어 갈 때 뭘 챙겨야 해요?", "ko", ("tour-what-to-bring",)),
)

OUT_OF_SCOPE: tuple[Case, ...] = (
    Case("Quán phở nào ngon nhất Hà Nội?", "vi", ()),
    Case("Làm sao gia hạn visa ở Việt Nam?", "vi", ()),
    Case("cho thue xe may o dau re", "vi", (), True),
    Case("Where can I buy a used motorbike?", "en", ()),
    Case("How do I extend my tourist visa?", "en", ()),
    Case("What's the weather like tomorrow?", "en", ()),
    Case("Quel est le meilleur restaurant italien de Hanoï ?", "fr", ()),
    Case("Comment ouvrir un compte bancaire au Vietnam ?", "fr", ()),
    Case("Quelle est la capitale de l'Australie ?", "fr", ()),
    Case("Где в Ханое можно снять квартиру?", "ru", ()),
    Case("Какая погода будет завтра?", "ru", ()),
    Case("Посоветуйте хорошего стоматолога", "ru", ()),
    Case("河内哪里可以换钱？", "zh", ()),
    Case("明天天气怎么样？", "zh", ()),
    Case("推荐一家好吃的火锅店", "zh", ()),
    Case("ハノイで美味しいフォーの店を教えて", "ja", ()),
    Case("ビザの延長はどうすればいいですか", "ja", ()),
    Case("明日の天気は？", "ja", ()),
    Case("하노이에서 맛있는 쌀국수 집 추천해 주세요", "ko", ()),
    Case("비자 연장은 어떻게 하나요?", "ko", ()),
    Case("환전은 어디서 해요?", "ko", ()),
)
