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
