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

## Checkout: the shopper's pages, their errors and the test payment page

checkout-progress-label = مراحل إتمام الطلب
checkout-step-basket = السلة
checkout-step-details = البيانات
checkout-step-payment = الدفع
checkout-step-done = تم

checkout-subtotal = المجموع الفرعي
checkout-vat = ضريبة القيمة المضافة
checkout-total = الإجمالي
checkout-vat-line = ضريبة القيمة المضافة { $rate }
checkout-plus-vat = + ضريبة القيمة المضافة { $rate }
checkout-line = { $quantity } × { $product }

checkout-catalogue-title = احجز مساحتك
checkout-catalogue-lead = تذاكر يومية وقاعات اجتماعات ومكاتب. ادفع كضيف دون الحاجة إلى حساب.
checkout-catalogue-empty = لا يوجد شيء معروض للبيع بعد. يُدرج مشغّل المتجر المنتجات في ملف المتجر ثم يطبّقه (راجع قسم "Operating your shop" في ملف README).
checkout-add-to-basket = أضف إلى السلة
checkout-add-product-to-basket = أضف { $product } إلى السلة

checkout-basket-title = سلتك
checkout-basket-caption = العناصر الموجودة في سلتك
checkout-basket-item = العنصر
checkout-basket-price = السعر
checkout-basket-quantity = الكمية
checkout-basket-amount = المبلغ
checkout-basket-quantity-of = كمية { $product }
checkout-basket-update = تحديث
checkout-basket-remove = إزالة
checkout-basket-remove-product = إزالة { $product }
checkout-basket-no-longer-available = لم يعد متوفرًا
checkout-basket-in-basket = { $count ->
    [zero] لا شيء في السلة
    [one] قطعة واحدة في السلة
    [two] قطعتان في السلة
    [few] { $count } قطع في السلة
    [many] { $count } قطعة في السلة
   *[other] { $count } قطعة في السلة
}
checkout-basket-add-more = أضف المزيد
checkout-basket-continue = تابع إلى بياناتك
checkout-basket-empty = سلتك فارغة.
checkout-browse-products = تصفّح المنتجات

checkout-unavailable-heading = يتعذّر علينا الوصول إلى سجلاتنا في الوقت الحالي
checkout-unavailable-products = تعذّر تحميل المنتجات.
checkout-unavailable-basket = تعذّر تحميل سلتك.
checkout-unavailable-payment-form = تعذّر تحميل نموذج الدفع.
checkout-unavailable-advice = لم يضِع شيء مما أدخلته أو دفعته. يُرجى المحاولة مرة أخرى بعد دقيقة.
checkout-try-again = حاول مرة أخرى

checkout-details-title = بياناتك
checkout-details-lead = نضع هذه البيانات على فاتورتك ونرسل إيصال الدفع إلى بريدك الإلكتروني.
checkout-field-name = الاسم الكامل
checkout-field-email = البريد الإلكتروني
checkout-field-address = الشارع ورقم المبنى
checkout-field-postcode = الرمز البريدي
checkout-field-city = المدينة أو البلدة
checkout-field-country = الدولة
checkout-field-choose = اختر…
checkout-details-back = العودة إلى السلة
checkout-details-continue = تابع إلى الدفع
checkout-form-password-hint = ثمانية أحرف على الأقل. بضع كلمات يسهل عليك تذكّرها تفي بالغرض.

checkout-country-nl = هولندا
checkout-country-be = بلجيكا
checkout-country-de = ألمانيا
checkout-country-fr = فرنسا
checkout-country-es = إسبانيا
checkout-country-it = إيطاليا
checkout-country-ie = أيرلندا
checkout-country-gb = المملكة المتحدة
checkout-country-us = الولايات المتحدة
checkout-country-pt = البرتغال
checkout-country-at = النمسا
checkout-country-dk = الدنمارك
checkout-country-se = السويد
checkout-country-pl = بولندا

checkout-field-error-name = أدخل اسمك الكامل.
checkout-field-error-address = أدخل اسم الشارع ورقم المبنى.
checkout-field-error-city = أدخل اسم مدينتك أو بلدتك.
checkout-field-error-postcode = أدخل رمزك البريدي.
checkout-field-error-country = اختر دولتك.
checkout-field-error-email-missing = أدخل عنوان بريد إلكتروني.
checkout-field-error-email-too-long = لا يجوز أن يتجاوز عنوان البريد الإلكتروني 254 حرفًا.
checkout-field-error-email-malformed = أدخل عنوان بريد إلكتروني مثل name@example.com.

checkout-payment-title = الدفع
checkout-payment-go-to-basket = انتقل إلى سلتك
checkout-payment-need-details = ما زلنا بحاجة إلى بياناتك لإصدار الفاتورة.
checkout-payment-enter-details = أدخل بياناتك
checkout-payment-summary = ملخص الطلب
checkout-payment-invoice-to = الفاتورة باسم { $name }، { $email }
checkout-payment-change = تغيير
checkout-payment-how = تدفع بالبطاقة على الصفحة الآمنة لمزوّد خدمة الدفع لدينا، ثم تعود مباشرة إلى هنا للحصول على فاتورتك.
checkout-payment-pay = ادفع { $total }
checkout-handoff-text = جارٍ نقلك إلى صفحة الدفع الآمنة…
checkout-handoff-continue = تابع إلى الدفع
checkout-handoff-back = العودة إلى الدفع
checkout-processing-title = جارٍ تأكيد دفعتك
checkout-processing-text = لم تُؤكَّد دفعتك بعد. تتحقق هذه الصفحة مجددًا كل بضع ثوانٍ، ولا داعي للدفع مرة أخرى.
checkout-processing-check-now = تحقّق الآن

checkout-notice-cancelled = غادرت صفحة الدفع، لذا لم يُخصم أي مبلغ. ستبقى سلتك هنا حتى تكون مستعدًا.
checkout-notice-not-completed = لم تكتمل عملية الدفع، لذا لم يُخصم أي مبلغ. سلتك ما زالت هنا ويمكنك الدفع مرة أخرى.
checkout-notice-unknown = لم نعثر على هذه الدفعة لهذا المتصفح. إذا كنت قد دفعت، فإن الإيصال الذي أرسلناه إلى بريدك الإلكتروني يتضمن رابط فاتورتك.
checkout-notice-refunded = سبق أن دُفعت هذه السلة، لذا استُردّت دفعتك الثانية بالكامل.
checkout-notice-refunded-unpaid = لم تتطابق دفعتك مع طلبك، لذا استُردّت بالكامل. سلتك ما زالت هنا، يُرجى الدفع مرة أخرى.
checkout-notice-paid = اكتملت عملية الدفع. ستجد رابط فاتورتك وحسابك في الإيصال الذي أرسلناه إلى بريدك الإلكتروني.

checkout-error-invalid = يُرجى تصحيح الحقول المميّزة.
checkout-error-already-paid = سبق دفع هذا الطلب.
checkout-error-empty-basket = سلتك فارغة.
checkout-error-too-many = الحد الأقصى من هذا العنصر في الطلب الواحد هو { $max }.
checkout-error-unavailable = حدث خطأ من جهتنا. لم يُخصم أي مبلغ، يُرجى المحاولة مرة أخرى.
checkout-error-transport = تعذّر إتمام الطلب. تحقّق من اتصالك وحاول مرة أخرى.
checkout-rejection-product-unavailable = هذا المنتج غير متوفر.
checkout-rejection-not-in-basket = هذا العنصر غير موجود في سلتك.
checkout-rejection-quantity-out-of-range = اختر كمية من 1 إلى 999.
checkout-rejection-payment-form-expired = انتهت صلاحية نموذج الدفع هذا. يُرجى إعادة تحميل الصفحة والمحاولة مرة أخرى.
checkout-rejection-payment-form-used = سبق استخدام نموذج الدفع هذا. يُرجى إعادة تحميل الصفحة.
checkout-rejection-payment-form-of-another-basket = نموذج الدفع هذا يخص سلة أخرى.
checkout-rejection-payment-in-another-tab = هناك عملية دفع لهذه السلة قيد التنفيذ في علامة تبويب أخرى. يُرجى الانتظار قليلًا.
checkout-rejection-payment-still-processing = ما زالت دفعتك قيد المعالجة. يُرجى الانتظار قليلًا ثم إعادة تحميل الصفحة.
checkout-rejection-payment-unavailable = يتعذّر الوصول إلى خدمة الدفع حاليًا. لم يُخصم أي مبلغ، يُرجى المحاولة مرة أخرى بعد قليل.
checkout-rejection-total-too-large = إجمالي السلة كبير جدًا.
checkout-rejection-items-unavailable = تحتوي سلتك على عنصر لم يعد متوفرًا. أزِله من سلتك للمتابعة.
checkout-rejection-over-maximum = تحتوي سلتك على كمية من أحد العناصر تتجاوز المسموح به في الطلب الواحد. خفّض الكمية في سلتك للمتابعة.
checkout-rejection-total-changed = تغيّر السعر منذ عرض هذه الصفحة، ولم يُخصم أي مبلغ. راجع الإجمالي الجديد أدناه ثم ادفع.
checkout-decline-invalid-number = رقم البطاقة هذا غير صالح. تحقّق من الأرقام وحاول مرة أخرى.
checkout-decline-invalid-expiry = أدخل تاريخ الانتهاء بالصيغة MM/YY.
checkout-decline-expired-card = انتهت صلاحية هذه البطاقة. جرّب بطاقة أخرى.
checkout-decline-invalid-cvc = أدخل رمز الأمان المكوّن من 3 أو 4 أرقام والموجود على ظهر البطاقة.
checkout-decline-card-declined = رفض البنك هذه البطاقة. جرّب بطاقة أخرى، ولم يُخصم أي مبلغ.
checkout-decline-insufficient-funds = رصيد البطاقة غير كافٍ. جرّب بطاقة أخرى، ولم يُخصم أي مبلغ.

checkout-not-found-title = الصفحة غير موجودة
checkout-not-found-text = هذا العنوان غير موجود. تحقّق من الرابط الذي اتبعته.
checkout-not-found-start = انتقل إلى الصفحة الرئيسية

checkout-complete-title = جارٍ إتمام عملية الشراء
checkout-complete-setting-up = جارٍ إعداد حسابك…
checkout-complete-working = تمّت عملية الدفع بنجاح. نحن نُعدّ حسابك وفاتورتك، وسيستغرق ذلك لحظات.
checkout-complete-ready = حسابك جاهز
checkout-complete-registered = الفاتورة { $number } بمبلغ { $total } مدفوعة. تم إعداد الوصول إلى البوابة للبريد { $email }.
checkout-complete-download = تنزيل الفاتورة (PDF)
checkout-complete-download-hint = نزّلها الآن واحتفظ بها في سجلاتك.
checkout-complete-register = إكمال التسجيل
checkout-complete-try-again = حاول مرة أخرى
checkout-complete-invalid-heading = تعذّر علينا تأكيد عملية الشراء هذه
checkout-complete-invalid-explanation = الرابط الذي اتبعته غير مكتمل أو غير صالح.
checkout-complete-invalid-next = افتح الرابط الموجود في رسالة إيصال الدفع مرة أخرى. وإذا لم يعمل، فردّ على تلك الرسالة وسنتولى حل المشكلة.
checkout-complete-used-heading = عملية الشراء هذه مسجّلة بالفعل
checkout-complete-used-explanation = عملية الشراء مسجّلة: فقد أُعدّ حسابك باستخدام هذا الرابط، في هذا المتصفح أو في متصفح آخر.
checkout-complete-used-next = سجّل الدخول لعرض فاتورتك وتنزيلها.
checkout-complete-expired-heading = انتهت صلاحية هذا الرابط
checkout-complete-expired-explanation = حرصًا على أمانك، لا يُنشئ هذا الرابط حسابًا إلا خلال مدة محدودة بعد الدفع.
checkout-complete-expired-next = دفعتك في أمان. سجّل الدخول لعرض فاتورتك وتنزيلها.
checkout-complete-not-found-heading = تعذّر علينا العثور على هذه الفاتورة
checkout-complete-not-found-explanation = الفاتورة الواردة في هذا الرابط لا تطابق عملية الشراء الخاصة بك.
checkout-complete-not-found-next = افتح الرابط الموجود في رسالة إيصال الدفع مرة أخرى دون تعديله.
checkout-complete-failed-heading = حدث خطأ من جهتنا
checkout-complete-failed-explanation = دفعتك في أمان، لكن تعذّر علينا إكمال إعداد حسابك الآن.
checkout-complete-failed-next = يُرجى المحاولة مرة أخرى بعد قليل.
checkout-complete-sign-in-heading = الوصول إلى فاتورتك
checkout-complete-sign-in-text = الفاتورة بصيغة PDF مرفقة برسالة إيصال الدفع. لعرض فواتيرك في بوابة العملاء، سجّل الدخول، أو اطلب إرسال رابط تسجيل الدخول إلى العنوان المدوّن على الفاتورة.
checkout-complete-sign-in = تسجيل الدخول
checkout-complete-link-sent = أرسلنا رابط تسجيل الدخول إلى العنوان المدوّن على الفاتورة. يعمل الرابط مرة واحدة ولمدة قصيرة. إذا لم يصلك خلال بضع دقائق، فتحقّق من مجلد الرسائل غير المرغوب فيها.
checkout-complete-email-link = أرسل لي رابط تسجيل الدخول
checkout-complete-password-heading = عيّن كلمة مرور الآن
checkout-complete-password-saved = حُفظت كلمة المرور وتم تسجيل دخولك.
checkout-complete-go-to-invoices = انتقل إلى فواتيري
checkout-complete-password-check-email = حرصًا على أمانك، لا يمكن تعيين كلمة مرور للبريد { $email } من هنا. استخدم الرابط الموجود في الرسالة التي أرسلناها إليه، أو سجّل الدخول بكلمة مرورك إن كانت لديك واحدة.
checkout-complete-password-check-email-unknown = حرصًا على أمانك، لا يمكن تعيين كلمة مرور لهذا البريد الإلكتروني من هنا. استخدم الرابط الموجود في الرسالة التي أرسلناها إليه، أو سجّل الدخول بكلمة مرورك إن كانت لديك واحدة.
checkout-complete-password-optional = اختياري: سجّل الدخول إلى بوابة العملاء متى شئت. وقد أرسلنا إليك أيضًا رسالة بخصوص حسابك.
checkout-complete-password-label = كلمة المرور
checkout-complete-password-submit = عيّن كلمة المرور وسجّل الدخول

checkout-test-page-title = دفع تجريبي
checkout-test-page-banner = وضع الاختبار: لا تقبل هذه الصفحة إلا بطاقات الاختبار، ولا تنتقل أي أموال.
checkout-test-page-paying = أنت تدفع مقابل
checkout-test-page-card-number = رقم البطاقة
checkout-test-page-expiry = تاريخ الانتهاء (MM/YY)
checkout-test-page-expiry-placeholder = MM/YY
checkout-test-page-cvc = رمز الأمان (CVC)
checkout-test-page-cards = بطاقات الاختبار: البطاقة 4242 4242 4242 4242 يتم الدفع بها، والبطاقة 4000 0000 0000 0002 تُرفض، والبطاقة 4000 0000 0000 9995 رصيدها غير كافٍ. أي تاريخ انتهاء في المستقبل، وأي 3 أرقام.
checkout-test-page-already-paid = اكتملت عملية الدفع هذه. لا يوجد مبلغ مستحق آخر.
checkout-test-page-expired = انتهت صلاحية صفحة الدفع هذه، ولم يُخصم أي مبلغ. عُد إلى المتجر للدفع مرة أخرى.
checkout-test-page-back = العودة إلى المتجر
checkout-test-page-not-found-title = الدفعة غير موجودة
checkout-test-page-not-found-text = لا توجد دفعة هنا. عُد إلى المتجر للدفع.
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
