"""Words for the demo company: names and comments in four languages, by theme and score band."""

from __future__ import annotations

FIRST_NAMES = {
    "en": ["Emma", "Liam", "Olivia", "Noah", "Ava", "James", "Mia", "Lucas", "Grace", "Henry"],
    "fa": ["سارا", "علی", "مریم", "رضا", "نگار", "امیر", "لیلا", "حسین", "نازنین", "مهدی"],
    "ar": ["فاطمة", "محمد", "ليلى", "أحمد", "نور", "عمر", "سارة", "يوسف", "مريم", "خالد"],
    "ru": ["Анна", "Иван", "Мария", "Дмитрий", "Елена", "Сергей", "Ольга", "Алексей", "Наталья", "Павел"],
}
LAST_NAMES = {
    "en": ["Smith", "Brown", "Taylor", "Wilson", "Clark", "Hall", "Young", "King", "Wright", "Green"],
    "fa": ["احمدی", "محمدی", "حسینی", "رضایی", "کریمی", "موسوی", "جعفری", "صادقی", "رحیمی", "نوری"],
    "ar": ["الحسن", "العلي", "الخطيب", "السيد", "النجار", "الحداد", "الشامي", "المصري", "الزين", "العمر"],
    "ru": [
        "Иванов",
        "Смирнов",
        "Кузнецов",
        "Попов",
        "Соколов",
        "Лебедев",
        "Козлов",
        "Новиков",
        "Морозов",
        "Волков",
    ],
}
TIME_ZONES = {"en": "Europe/London", "fa": "Asia/Tehran", "ar": "Asia/Dubai", "ru": "Europe/Moscow"}

# COMMENTS[locale][theme][band]: band is "detractor", "passive" or "promoter".
COMMENTS: dict[str, dict[str, dict[str, list[str]]]] = {
    "en": {
        "delivery": {
            "detractor": [
                "The parcel arrived four days late and nobody told me why.",
                "Delivery was a mess, the courier never called.",
            ],
            "passive": ["Delivery took a bit longer than promised."],
            "promoter": ["Fast delivery, it came the next morning."],
        },
        "price": {
            "detractor": ["Too expensive for what you get.", "The price went up since my last order."],
            "passive": ["Prices are fair but not cheap."],
            "promoter": ["Good value for the money."],
        },
        "quality": {
            "detractor": ["The product broke after a week.", "Stitching came apart on the first wash."],
            "passive": ["Quality is fine, nothing special."],
            "promoter": ["Excellent build quality, feels solid."],
        },
        "staff": {
            "detractor": ["The cashier was rude to me.", "Nobody in the store could answer my question."],
            "passive": ["Staff were polite but busy."],
            "promoter": ["The assistant was really helpful and patient."],
        },
        "packaging": {
            "detractor": ["The box was crushed and the item scratched."],
            "passive": ["Too much plastic in the packaging."],
            "promoter": ["Nicely packed, arrived in perfect shape."],
        },
        "website": {
            "detractor": ["Checkout kept failing on my phone."],
            "passive": ["The website is a bit slow."],
            "promoter": ["Easy to find what I needed on the site."],
        },
    },
    "fa": {
        "delivery": {
            "detractor": ["بسته چهار روز دیر رسید و کسی توضیحی نداد.", "پیک هیچ‌وقت تماس نگرفت."],
            "passive": ["ارسال کمی بیشتر از زمان وعده‌داده‌شده طول کشید."],
            "promoter": ["ارسال خیلی سریع بود، صبح روز بعد رسید."],
        },
        "price": {
            "detractor": ["برای چیزی که می‌گیرید خیلی گران است.", "قیمت از سفارش قبلی من بالاتر رفته."],
            "passive": ["قیمت‌ها منصفانه است ولی ارزان نیست."],
            "promoter": ["ارزش خرید دارد."],
        },
        "quality": {
            "detractor": ["محصول بعد از یک هفته خراب شد.", "دوخت لباس با اولین شستشو باز شد."],
            "passive": ["کیفیت بد نیست، چیز خاصی هم نیست."],
            "promoter": ["کیفیت ساخت عالی است."],
        },
        "staff": {
            "detractor": ["صندوقدار با من بی‌ادبانه رفتار کرد.", "هیچ‌کس در فروشگاه جواب سؤالم را نداشت."],
            "passive": ["کارکنان مؤدب بودند ولی سرشان شلوغ بود."],
            "promoter": ["فروشنده واقعاً کمک کرد و صبور بود."],
        },
        "packaging": {
            "detractor": ["جعبه له شده بود و کالا خط افتاده بود."],
            "passive": ["بسته‌بندی پلاستیک زیادی داشت."],
            "promoter": ["بسته‌بندی مرتب بود و سالم رسید."],
        },
        "website": {
            "detractor": ["پرداخت در گوشی‌ام مدام خطا می‌داد."],
            "passive": ["سایت کمی کند است."],
            "promoter": ["پیدا کردن محصول در سایت آسان بود."],
        },
    },
    "ar": {
        "delivery": {
            "detractor": ["وصل الطرد متأخرًا أربعة أيام ولم يخبرني أحد بالسبب.", "المندوب لم يتصل أبدًا."],
            "passive": ["استغرق التوصيل وقتًا أطول قليلًا من الموعد."],
            "promoter": ["توصيل سريع، وصل في صباح اليوم التالي."],
        },
        "price": {
            "detractor": ["السعر مرتفع جدًا مقارنة بما تحصل عليه.", "ارتفع السعر منذ طلبي السابق."],
            "passive": ["الأسعار معقولة لكنها ليست رخيصة."],
            "promoter": ["قيمة جيدة مقابل المال."],
        },
        "quality": {
            "detractor": ["تعطل المنتج بعد أسبوع.", "انفكت الخياطة بعد أول غسلة."],
            "passive": ["الجودة مقبولة، لا شيء مميز."],
            "promoter": ["جودة التصنيع ممتازة."],
        },
        "staff": {
            "detractor": ["كان أمين الصندوق وقحًا معي.", "لم يستطع أحد في المتجر الإجابة عن سؤالي."],
            "passive": ["الموظفون مهذبون لكنهم مشغولون."],
            "promoter": ["كان الموظف متعاونًا وصبورًا جدًا."],
        },
        "packaging": {
            "detractor": ["كانت العلبة مهشمة والمنتج مخدوشًا."],
            "passive": ["في التغليف بلاستيك أكثر من اللازم."],
            "promoter": ["تغليف أنيق ووصل بحالة ممتازة."],
        },
        "website": {
            "detractor": ["فشل الدفع مرارًا على هاتفي."],
            "passive": ["الموقع بطيء بعض الشيء."],
            "promoter": ["من السهل إيجاد ما أحتاجه في الموقع."],
        },
    },
    "ru": {
        "delivery": {
            "detractor": [
                "Посылка пришла на четыре дня позже, и никто не объяснил почему.",
                "Курьер так и не позвонил.",
            ],
            "passive": ["Доставка заняла чуть больше обещанного."],
            "promoter": ["Быстрая доставка, привезли на следующее утро."],
        },
        "price": {
            "detractor": ["Слишком дорого за такое качество.", "Цена выросла с моего прошлого заказа."],
            "passive": ["Цены честные, но не низкие."],
            "promoter": ["Хорошее соотношение цены и качества."],
        },
        "quality": {
            "detractor": ["Товар сломался через неделю.", "Швы разошлись после первой стирки."],
            "passive": ["Качество нормальное, ничего особенного."],
            "promoter": ["Отличное качество сборки."],
        },
        "staff": {
            "detractor": ["Кассир мне нагрубил.", "В магазине никто не смог ответить на мой вопрос."],
            "passive": ["Сотрудники вежливые, но очень заняты."],
            "promoter": ["Консультант очень помог и был терпелив."],
        },
        "packaging": {
            "detractor": ["Коробка была смята, товар поцарапан."],
            "passive": ["Слишком много пластика в упаковке."],
            "promoter": ["Аккуратно упаковано, всё пришло целым."],
        },
        "website": {
            "detractor": ["Оплата на телефоне постоянно выдавала ошибку."],
            "passive": ["Сайт немного медленный."],
            "promoter": ["На сайте легко найти нужное."],
        },
    },
}
