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

## Invoice PDF

pdf-document-title = فاتورة { $number }
pdf-heading = فاتورة
pdf-invoice-number = رقم { $number }
pdf-issued = تاريخ الإصدار { $date }
pdf-paid-on = تاريخ الدفع { $date }
pdf-paid-stamp = مدفوعة
pdf-bill-to = فاتورة إلى
pdf-vat-id = الرقم الضريبي { $vat_id }
pdf-column-description = الوصف
pdf-column-quantity = الكمية
pdf-column-unit-price = سعر الوحدة
pdf-column-tax = الضريبة
pdf-column-amount = المبلغ
pdf-subtotal = المجموع الفرعي
pdf-tax-at-rate = ضريبة القيمة المضافة { $rate }
pdf-total = الإجمالي { $currency }
pdf-amount-due = المبلغ المستحق
pdf-continued = { $number } (تابع)
pdf-footer = { $seller } · شكرًا لتعاملكم معنا.
pdf-footer-with-vat-id = { $seller } · الرقم الضريبي { $vat_id } · شكرًا لتعاملكم معنا.
pdf-page-of = صفحة { $page } من { $pages }
## Portal

# تسجيل الدخول
portal-sign-in-title = تسجيل الدخول
portal-sign-in-lead = اطّلع على فواتيرك ونزّلها في أي وقت.
portal-email-label = البريد الإلكتروني
portal-password-label = كلمة المرور
portal-sign-in-button = تسجيل الدخول
portal-email-me-a-link = أرسل لي رابط تسجيل الدخول بالبريد الإلكتروني
portal-forgot-password = هل نسيت كلمة المرور؟
# الروابط المرسلة بالبريد الإلكتروني: طلبها واستخدامها
portal-request-link-lead = سنرسل إليك رابطًا بالبريد الإلكتروني يتيح لك تسجيل الدخول مرة واحدة دون كلمة مرور.
portal-request-link-button = أرسل لي رابطًا
portal-reset-heading = إعادة تعيين كلمة المرور
portal-reset-lead = سنرسل إليك رابطًا بالبريد الإلكتروني لاختيار كلمة مرور جديدة.
portal-reset-button = أرسل لي رابط إعادة التعيين
portal-back-to-sign-in = العودة إلى تسجيل الدخول
portal-check-inbox = تحقّق من صندوق الوارد.
portal-check-inbox-detail = إذا كان هناك حساب مرتبط بهذا البريد الإلكتروني، فقد أرسلنا إليه رابطًا. يعمل الرابط مرة واحدة فقط ولمدة قصيرة.
portal-use-link-lead = تابع إلى فواتيرك.
portal-link-unusable-heading = لا يمكن استخدام هذا الرابط
portal-link-unusable-lead = انتهت صلاحيته أو سبق استخدامه.
portal-new-sign-in-link = أرسل لي رابط تسجيل دخول جديدًا
portal-reset-my-password = أعد تعيين كلمة المرور
# اختيار كلمة مرور من رابط مرسل بالبريد الإلكتروني
portal-set-password-heading = عيّن كلمة المرور
portal-new-password-heading = اختر كلمة مرور جديدة
portal-new-password-label = كلمة المرور الجديدة
portal-save-password-button = احفظ كلمة المرور وسجّل الدخول
# الشريط أعلى كل صفحة بعد تسجيل الدخول
portal-signed-in-as = تم تسجيل الدخول باسم { $name } ({ $email })
portal-sign-out = تسجيل الخروج
portal-sign-out-everywhere = تسجيل الخروج من جميع الأجهزة
# عندما يتعذّر قراءة الحساب (قاعدة البيانات غير متاحة).
portal-account-unavailable = تعذّر تحميل حسابك.
portal-invoice-not-found = لم يتم العثور على الفاتورة
portal-something-went-wrong = حدث خطأ ما
portal-back-to-my-invoices = العودة إلى فواتيري
# فواتيري
portal-my-invoices = فواتيري
portal-no-invoices-on-page = لا توجد فواتير في هذه الصفحة.
portal-invoices-caption = فواتيرك، الأحدث أولًا
portal-column-invoice = الفاتورة
portal-column-date = التاريخ
portal-column-total = الإجمالي
portal-column-status = الحالة
portal-column-download = تنزيل
portal-status-paid = مدفوعة
portal-status-open = غير مدفوعة
portal-pdf = ملف PDF
# لقارئات الشاشة فقط، بعد «ملف PDF».
portal-pdf-of-invoice = للفاتورة { $number }
portal-pages = الصفحات
portal-newer = الأحدث
portal-older = الأقدم
portal-page-of = الصفحة { $page } من { $pages }
# فاتورة واحدة
portal-invoice-heading = فاتورة { $number }
# يشير السهم إلى اتجاه الرجوع في النص العربي.
portal-back-link = → فواتيري
portal-issued-on = تاريخ الإصدار: { $date }
portal-paid-on = تاريخ الدفع: { $date }
portal-billed-to = فاتورة إلى
portal-invoice-lines = بنود الفاتورة
portal-column-description = الوصف
portal-column-quantity = الكمية
portal-column-unit-price = سعر الوحدة
portal-column-tax = الضريبة
portal-column-amount = المبلغ
portal-line-tax = { $amount } ({ $rate })
portal-subtotal = المجموع الفرعي
portal-tax = الضريبة
portal-total = الإجمالي
portal-download-pdf = تنزيل ملف PDF
# اللغة المحفوظة للعميل، في صفحة «فواتيري»
portal-language-heading = اللغة
portal-language-lead = لغة هذه الصفحات والرسائل التي نرسلها إليك بالبريد الإلكتروني.
portal-language-label = لغتك
portal-language-save = احفظ اللغة
portal-language-saved = تم حفظ لغتك.
# ما الذي حدث من خطأ
portal-error-invalid = يُرجى تصحيح الحقول المميّزة.
portal-error-wrong-credentials = لا يطابق هذا البريد الإلكتروني وكلمة المرور أي حساب. تحقّق منهما، أو سجّل الدخول برابط يُرسل إلى بريدك الإلكتروني.
portal-error-rate-limited = { $minutes ->
    [zero] محاولات كثيرة جدًا. يُرجى الانتظار قليلًا ثم المحاولة مرة أخرى.
    [one] محاولات كثيرة جدًا. يُرجى الانتظار دقيقة واحدة ثم المحاولة مرة أخرى.
    [two] محاولات كثيرة جدًا. يُرجى الانتظار دقيقتين ثم المحاولة مرة أخرى.
    [few] محاولات كثيرة جدًا. يُرجى الانتظار { $minutes } دقائق ثم المحاولة مرة أخرى.
    [many] محاولات كثيرة جدًا. يُرجى الانتظار { $minutes } دقيقة ثم المحاولة مرة أخرى.
   *[other] محاولات كثيرة جدًا. يُرجى الانتظار { $minutes } دقيقة ثم المحاولة مرة أخرى.
}
portal-error-link-invalid = انتهت صلاحية هذا الرابط أو سبق استخدامه.
portal-error-signed-out = يُرجى تسجيل الدخول للمتابعة.
portal-error-not-found = لم نتمكن من العثور على هذه الفاتورة في حسابك.
portal-error-busy = لدينا ضغط كبير الآن. يُرجى المحاولة مرة أخرى بعد بضع ثوانٍ.
portal-error-unavailable = حدث خطأ من جهتنا. يُرجى المحاولة مرة أخرى بعد قليل.
portal-error-transport = تعذّر إكمال الطلب. تحقّق من اتصالك وحاول مرة أخرى.
portal-error-unsupported-language = يُرجى اختيار إحدى اللغات المعروضة.
# بجانب الحقل
portal-field-email-missing = أدخل عنوان بريد إلكتروني.
portal-field-email-too-long = لا يمكن أن يتجاوز عنوان البريد الإلكتروني 254 حرفًا.
portal-field-email-malformed = أدخل عنوان بريد إلكتروني مثل name@example.com.
portal-field-password-missing = أدخل كلمة المرور.
portal-field-password-too-long = لا يمكن أن تتجاوز كلمة المرور 128 حرفًا.
portal-field-password-blank = اختر كلمة مرور لا تتكون من مسافات فقط.
portal-field-password-too-short = اختر كلمة مرور من 8 أحرف على الأقل.
portal-field-invalid = تحقّق من هذا الحقل.
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
