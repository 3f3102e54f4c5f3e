# checkout-portal بالعربية. معرّفات الرسائل ومتغيراتها هي نفسها في الكتالوج
# الإنجليزي (i18n/en/app.ftl)؛ يتحقق اختبار الكتالوج من ذلك.
# Arabic has six plural categories (zero, one, two, few, many, other):
# a message with a count selects among all six.

## The language itself

language-name = العربية

## Examples the tests use

invoice-title = فاتورة { $number }
item-count = { $count ->
    [zero] لا عناصر
    [one] عنصر واحد
    [two] عنصران
    [few] { $count } عناصر
    [many] { $count } عنصرًا
   *[other] { $count } عنصر
}

## Every page: header, footer, banners

site-name-fallback = فواتير مساحة العمل المشتركة
nav-site = الموقع
nav-basket = السلة
nav-my-invoices = فواتيري
nav-language = اللغة
footer-note = تتم معالجة المدفوعات والفواتير بأمان. هل لديك سؤال؟ يمكنك الرد على رسالة إيصال الدفع.
test-mode-label = وضع الاختبار
test-mode-banner = وضع الاختبار: تتم المدفوعات باستخدام بطاقات اختبار فقط، ولا تنتقل أي أموال.

## Emails

email-greeting = مرحبًا { $name }،
email-paste-link = أو انسخ هذا العنوان والصقه في متصفحك: { $url }
email-seller-tax-id = الرقم الضريبي { $tax_id }
# تُستخدم في الجمل بعد «لمدة»، لذا يأتي المثنى مجرورًا (ساعتين، يومين).
email-duration-minutes = { $count ->
    [zero] { $count } دقيقة
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $count } دقائق
    [many] { $count } دقيقة
   *[other] { $count } دقيقة
}
email-duration-hours = { $count ->
    [zero] { $count } ساعة
    [one] ساعة واحدة
    [two] ساعتين
    [few] { $count } ساعات
    [many] { $count } ساعة
   *[other] { $count } ساعة
}
email-duration-days = { $count ->
    [zero] { $count } يوم
    [one] يوم واحد
    [two] يومين
    [few] { $count } أيام
    [many] { $count } يومًا
   *[other] { $count } يوم
}
email-receipt-subject = إيصالك من { $seller }: الفاتورة { $number }
email-receipt-intro = شكرًا لك على الدفع. هذا إيصالك للفاتورة { $number } الصادرة بتاريخ { $issued }.
email-receipt-paid-by-card = تم الدفع في { $paid } بتوقيت UTC باستخدام بطاقة { $brand } المنتهية بالأرقام { $last4 }.
email-receipt-paid-online = تم الدفع عبر الإنترنت في { $paid } بتوقيت UTC.
email-receipt-line = { $quantity } × { $description } بسعر { $price } للوحدة (ضريبة القيمة المضافة { $rate })
email-receipt-subtotal = المجموع الفرعي
email-receipt-tax = ضريبة القيمة المضافة
email-receipt-total = إجمالي المبلغ المدفوع
email-receipt-action = احصل على فاتورتك وافتح حسابك
email-receipt-note = يُنشئ هذا الرابط حسابك في بوابة العملاء ويتيح لك تنزيل الفاتورة. يعمل الرابط لمدة { $valid } بعد الدفع، حتى { $expires } بتوقيت UTC؛ وبعد ذلك، أو بمجرد إعداد حسابك، يمكنك من خلال الرابط نفسه طلب رابط لتسجيل الدخول يصلك بالبريد الإلكتروني. الفاتورة مرفقة بصيغة PDF. احتفظ بهذه الرسالة لنفسك: فالرابط خاص بك وحدك. هل لديك أسئلة؟ يمكنك الرد على هذه الرسالة.
email-receipt-attachment-name = فاتورة { $number }.pdf
email-set-password-action = عيّن كلمة المرور
email-welcome-subject = مرحبًا بك في { $seller }: عيّن كلمة المرور الخاصة بك
email-welcome-intro = شكرًا لك على الشراء. تم دفع الفاتورة { $number }، وقد أنشأنا لك حسابًا في بوابة العملاء.
email-welcome-choose = اختر كلمة مرور لتسجيل الدخول والاطلاع على فواتيرك وتنزيلها في أي وقت.
email-welcome-note = يعمل هذا الرابط مرة واحدة فقط، لمدة { $valid }. إذا انتهت صلاحيته، فاستخدم «هل نسيت كلمة المرور؟» في صفحة تسجيل الدخول.
email-invoice-added-subject = أُضيفت فاتورة إلى حسابك: { $number }
email-invoice-added-intro = اكتملت عملية شراء باستخدام عنوان بريدك الإلكتروني، وأُضيفت الفاتورة { $number } إلى حسابك في بوابة العملاء.
email-invoice-added-first-password = لم تختر كلمة مرور بعد. يتيح لك هذا الرابط اختيار كلمة مرور، ويعمل مرة واحدة فقط، لمدة { $valid }.
email-invoice-added-action = عرض الفاتورة
email-invoice-added-not-you = إذا لم تقم بعملية الشراء هذه، فيُرجى الرد على هذه الرسالة وسنتحقق من الأمر.
email-sign-in-subject = رابط تسجيل الدخول إلى { $seller }
email-sign-in-intro = طلب أحدهم (ونأمل أن تكون أنت) رابطًا لتسجيل الدخول إلى بوابة العملاء الخاصة بك.
email-sign-in-action = تسجيل الدخول
email-sign-in-note = يعمل هذا الرابط مرة واحدة فقط، لمدة { $valid }. إذا لم تطلبه، يمكنك تجاهل هذه الرسالة.
email-reset-subject = إعادة تعيين كلمة المرور لدى { $seller }
email-reset-intro = طلب أحدهم (ونأمل أن تكون أنت) إعادة تعيين كلمة مرور حسابك في بوابة العملاء.
email-reset-action = اختر كلمة مرور جديدة
email-reset-note = يعمل هذا الرابط مرة واحدة فقط، لمدة { $valid }. إذا لم تطلبه، فتجاهل هذه الرسالة: ستبقى كلمة المرور كما هي.
