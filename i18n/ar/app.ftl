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
