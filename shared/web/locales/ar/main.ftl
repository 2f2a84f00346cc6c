app-name = أوردو
app-tagline = التدبير الإلكتروني للمراسلات
skip-to-content = الانتقال إلى المحتوى
language-label = اللغة
lang-fr = Français
lang-ar = العربية
lang-en = English

nav-home = الرئيسية
nav-operator = الوكالة المشغلة
nav-sign-out = تسجيل الخروج
signed-in-as = متصل: { $name }

login-title = تسجيل الدخول
login-intro = سجّل الدخول بالحساب الذي سلّمته لك إدارتك.
login-administration = الإدارة (الرمز)
login-administration-hint = مثلا MMG. اتركه فارغا للوكالة المشغلة.
login-login = اسم المستخدم
login-password = كلمة المرور
login-submit = دخول

home-title = الرئيسية
home-welcome = مرحبا، { $name }.
home-administration = الإدارة
home-roles = أدوارك
home-units = وحدات الإدارة
home-unit-bureau = مكتب الضبط
home-next = ستظهر هنا السجلات والإحالة وتتبع المراسلات.

operator-title = الوكالة المشغلة
operator-tenants = الإدارات المستضافة
operator-count = { $count ->
    [0] لا توجد أي إدارة.
    [one] إدارة واحدة.
    [two] إدارتان.
    [few] { $count } إدارات.
   *[other] { $count } إدارة.
}
col-code = الرمز
col-name = الاسم
col-time-zone = المنطقة الزمنية
col-status = الحالة
col-created = تاريخ الإنشاء
col-kind = النوع
status-active = نشطة
status-suspended = موقوفة

role-tenant_admin = مسؤول الإدارة
role-bureau_ordre = عون مكتب الضبط
role-unit_head = رئيس المصلحة
role-agent = عون
role-signatory = موقّع
role-auditor = مدقق

unit-central = المصالح المركزية
unit-directorate = مديرية
unit-service = مصلحة
unit-decentralised = مصلحة لا ممركزة

error-title = حدث خطأ
error-back = العودة إلى الصفحة الرئيسية
error-not_found = هذه الصفحة غير موجودة أو ليس لديك حق الوصول إليها.
error-unauthenticated = يرجى تسجيل الدخول.
error-forbidden = لا يحق لك القيام بهذا الإجراء.
error-invalid_input = بعض القيم غير صالحة.
error-csrf_rejected = انتهت صلاحية الاستمارة. أعد تحميل الصفحة وحاول مجددا.
error-invalid_credentials = اسم المستخدم أو كلمة المرور غير صحيحة.
error-account_locked = محاولات فاشلة كثيرة: هذا الحساب مقفل لمدة 15 دقيقة.
error-tenant_suspended = هذه الإدارة موقوفة: الدخول مرفوض. اتصل بالوكالة المشغلة.
error-no_identity_provider = لا تتصل هذه الإدارة عبر مزود هوية: استعمل معرّفك وكلمة مرورك في أوردو.
error-sign_in_expired = انتهت صلاحية الاتصال أو فُتح في متصفح آخر. أعد المحاولة.
error-identity_rejected = لم يؤكد مزود الهوية هويتك. أعد المحاولة؛ وإن تكرر ذلك فاتصل بمدير إدارتك.
error-no_role = ليس لحسابك أي دور في أوردو. اطلب من مدير إدارتك أن يمنحك دورا.
login-oidc-title = بحساب إدارتي
login-oidc-intro = إذا ربطت إدارتك أوردو بدليلها، فاتصل بالحساب نفسه الذي تستعمله لخدماتك الأخرى.
login-oidc-submit = المتابعة نحو إدارتي
login-oidc-redirecting = يجري توجيهك نحو خدمة الاتصال الخاصة بإدارتك…
login-oidc-continue = متابعة
error-conflict = هذه القيمة موجودة مسبقا.
error-payload_too_large = الملف أو الاستمارة كبير جدا.
error-unavailable = الخدمة غير متاحة مؤقتا. حاول بعد لحظات: لم يضع شيء مما تم حفظه.
error-internal = حدث خطأ غير متوقع. تم تسجيله؛ حاول بعد لحظات.

field-request = الطلب
field-code = الرمز
field-name-fr = الاسم (بالفرنسية)
field-name-ar = الاسم (بالعربية)
field-name-en = الاسم (بالإنجليزية)
field-time-zone = المنطقة الزمنية
field-login = اسم المستخدم
field-password = كلمة المرور
field-roles = الأدوار
field-status = الحالة
field-kind = النوع

invalid-required = { $field }: هذا الحقل إلزامي.
invalid-too-short = { $field }: { $min } أحرف على الأقل.
invalid-too-long = { $field }: { $max } حرفا على الأكثر.
invalid-bad-characters = { $field }: يحتوي على أحرف غير مسموح بها.
invalid-unknown-time-zone = { $field }: منطقة زمنية غير معروفة (مثال: Africa/Conakry).
invalid-unknown-value = { $field }: قيمة غير معروفة.

nav-registers = السجلات
registers-title = سجلات مكتب الضبط
register-last-number = آخر رقم مسند:
register-first-number = أول رقم قادم:
register-new = مراسلة جديدة
register-next = تسجيل المراسلة التالية
register-submit = تسجيل
register-year = سجل { $year }
register-count = { $count ->
    [0] لا توجد أي مراسلة مسجلة.
    [one] مراسلة واحدة مسجلة.
    [two] مراسلتان مسجلتان.
    [few] { $count } مراسلات مسجلة.
   *[other] { $count } مراسلة مسجلة.
}
form-has-errors = تحتوي الاستمارة على أخطاء: صحّح الحقول المشار إليها.
direction-incoming = وارد
direction-outgoing = صادر
direction-internal = داخلي
nature-letter = رسالة
nature-request = طلب
nature-invoice = فاتورة
nature-note = مذكرة
nature-circular = منشور
nature-decree = مرسوم أو قرار
nature-report = تقرير
nature-other = أخرى
channel-counter = الشباك
channel-post = البريد
channel-email = البريد الإلكتروني
channel-portal = البوابة الإلكترونية
channel-exchange = تبادل بين الإدارات
priority-normal = عادية
priority-urgent = مستعجلة
priority-very_urgent = مستعجلة جدا
confidentiality-normal = عادية
confidentiality-confidential = سري
confidentiality-secret = سري للغاية
status-item-draft = مسودة
status-item-registered = مسجلة
status-item-cancelled = ملغاة
item-registered-notice = تم تسجيل المراسلة. دوّن هذا الرقم على الأصل الورقي.
item-registered-at = سُجلت في { $at }
item-draft-title = مسودة بريد
actor-system = أوردو (معالجة آلية)
item-timeline = السجل التاريخي
action-item-registered = التسجيل
action-item-viewed = الاطلاع
action-tenant-created = إنشاء الإدارة
col-number = الرقم
col-registered = تاريخ التسجيل
field-sender = المرسل
field-subject = الموضوع
field-recipient = المرسل إليه
field-letter-date = تاريخ الرسالة
field-nature = النوع
field-channel = قناة الاستلام
field-priority = الأولوية
field-confidentiality = السرية
field-keywords = كلمات مفتاحية
field-paper-location = مكان حفظ الأصل الورقي
field-number-format = صيغة الترقيم
field-direction = الاتجاه
invalid-not-a-date = { $field }: تاريخ غير صالح (الصيغة المطلوبة: YYYY-MM-DD).
invalid-in-future = { $field }: لا يمكن أن يكون التاريخ في المستقبل.

field-document = الوثيقة الرئيسية (مسح ضوئي أو رسالة)
field-attachments = المرفقات
register-document-hint = PDF أو JPEG أو PNG أو TIFF، بحد أقصى { $max } م.ب لكل ملف.
item-documents = الوثائق
document-main = الوثيقة الرئيسية
document-download = تنزيل
col-file = الملف
col-size = الحجم
col-fingerprint = بصمة SHA-256
action-document-viewed = الاطلاع على وثيقة
action-document-downloaded = تنزيل وثيقة
invalid-empty-file = { $field }: الملف فارغ.
invalid-file-too-large = { $field }: يتجاوز الملف { $max } م.ب.
invalid-file-type-not-allowed = { $field }: لا تُقبل إلا ملفات PDF وJPEG وPNG وTIFF.
invalid-file-type-mismatch = { $field }: محتوى الملف لا يطابق نوعه أو امتداده.

slip-title = وصل التسجيل
slip-qr = رمز QR لرقم التسجيل
slip-back = العودة إلى المراسلة
slip-print-hint = اطبع هذه الصفحة (Ctrl+P) وأرفقها بالأصل.
register-export-csv = تصدير بصيغة CSV
action-register-exported = تصدير السجل

invalid-too-many-files = { $field }: { $max } ملفات على الأكثر لكل مراسلة.
field-idempotency-key = ترويسة Idempotency-Key

nav-directory = الدليل
draft-complete = إتمام المسودة
drafts-title = المسودات
drafts-left = تبقى { $count } مسودات لإتمامها في هذه الدفعة.
drafts-none = لا توجد مسودات في الانتظار.
drafts-saved = حُفظت المسودة: إنها في انتظار الإتمام.
drafts-batch = مسح دفعة من المراسلات
drafts-batch-hint = حتى { $count } ملفا دفعة واحدة ({ $max } م.ب على الأكثر لكل ملف): يصبح كل ملف ممسوح مسودة للإتمام.
drafts-batch-submit = إيداع الملفات الممسوحة
drafts-batch-done = { $count ->
    [one] أودع ملف ممسوح واحد: إنه في انتظار الإتمام.
   *[other] أودعت { $count } ملفات ممسوحة: إنها في انتظار الإتمام.
}
field-scans = الملفات الممسوحة
col-received = تاريخ الاستلام
register-save-draft = حفظ كمسودة
register-and-next = تسجيل والانتقال إلى التالي
field-received-at = تاريخ الاستلام
received-at-hint = اتركه فارغا إذا وصلت المراسلة الآن.
scan-label = معاينة الملف الممسوح
scan-empty = يظهر هنا الملف الممسوح المختار.
correct-title = تصحيح
correct-submit = حفظ التصحيح
cancel-back = الرجوع دون تصحيح
field-reason = السبب
field-correction = التصحيح
item-corrected-notice = حُفظ التصحيح: المراسلة الآن في نسختها { $version }.
item-version = النسخة { $version }
item-versions = النسخ
item-due = آخر أجل للمعالجة
item-correct = تصحيح
item-cancel = إلغاء التسجيل
item-cancel-submit = إلغاء التسجيل (يبقى الرقم محجوزا)
item-cancelled-because = أُلغي التسجيل. السبب:
item-links = مراسلات مرتبطة
field-link-kind = الرابط
field-link-to = رقم المراسلة المرتبطة
link-submit = ربط
link-replies_to = رد على
link-follows_up = متابعة لـ
link-duplicate_of = نسخة مكررة من
link-replied_by = تلقت ردا بـ
link-followed_by = تابعتها
link-duplicated_by = لها نسخة مكررة
action-item-drafted = إنشاء مسودة
action-item-corrected = تصحيح
action-item-cancelled = إلغاء التسجيل
action-item-linked = إضافة رابط
action-document-added = إضافة وثيقة
filter-text = بحث (الموضوع، المرسل، الرقم…)
filter-all = الكل
filter-submit = تصفية
register-narrow = تُعرض أحدث { $count } فقط: دقق البحث.
directory-title = دليل المراسلين
directory-search = البحث عن مراسل
directory-flag = تنبيه
directory-possible-duplicate = تكرار محتمل لـ
directory-add = إضافة مراسل
directory-classify = تصنيف
field-name = الاسم
field-email = البريد الإلكتروني
field-address = العنوان
field-sender-id = المرسل (الدليل)
field-recipient-ids = المرسل إليه (الدليل)
kind-person = شخص
kind-organisation = هيئة
kind-unknown = غير مصنف
settings-title = إعدادات مكتب الضبط
settings-natures = أنواع المراسلات
settings-priorities = الأولويات
settings-save = حفظ
settings-add = إضافة
settings-documents = الوثائق
settings-documents-hint = بين 1 و{ $max } م.ب.
field-processing-days = أجل المعالجة (أيام)
field-max-mib = الحجم الأقصى للوثيقة (م.ب)
field-list = القائمة
field-link-kind-label = الرابط
field-role = دور الوثيقة
field-file-name = اسم الملف
invalid-out-of-range = { $field }: القيمة المتوقعة بين { $range }.
invalid-not-a-date-time = { $field }: تاريخ ووقت غير صالحين (الصيغة المتوقعة: YYYY-MM-DD HH:MM).
invalid-before-letter-date = { $field }: لا يمكن أن تكون المراسلة قد استلمت قبل تاريخ الرسالة.
invalid-nothing-changed = { $field }: لم يتغير أي حقل.
invalid-unknown-correspondent = { $field }: هذا المراسل غير موجود في الدليل.
invalid-unknown-item = { $field }: لا توجد مراسلة ظاهرة تحمل هذا الرقم.
invalid-too-many-recipients = { $field }: { $max } مرسلا إليهم على الأكثر، تفصل بينهم فواصل منقوطة.
recipient-hint = عدة مرسل إليهم: افصل بينهم بفاصلة منقوطة (;).
invalid-already-used = { $field }: مستعمل من قبل في هذه الإدارة.
settings-registers = السجلات
settings-registers-hint = يطبق الشكل على الأرقام التي لم تمنح بعد؛ { "{year}" } هي السنة و{ "{seq:6}" } الرقم بستة أرقام.
settings-register-add = فتح سجل
field-unit = مكتب الضبط
draft-registered-notice = سُجلت المراسلة تحت الرقم { $number }: اكتبه على الأصل. إليك التالية في الدفعة.

login-forgot = نسيت كلمة المرور؟
reset-title = كلمة مرور جديدة
reset-intro = أدخل إدارتك واسم المستخدم: إذا كان لحسابك عنوان بريد إلكتروني، يُرسل إليه رابط لاختيار كلمة مرور جديدة.
reset-send = استلام الرابط
reset-sent = إذا كان هذا الحساب موجودا وله عنوان بريد إلكتروني، فقد أُرسل إليه رابط الآن. يعمل مرة واحدة، لمدة ساعة.
reset-back = الرجوع إلى تسجيل الدخول
reset-again = طلب رابط جديد
reset-submit = حفظ كلمة المرور الجديدة
reset-password-hint = 10 أحرف على الأقل.
reset-done = تم تغيير كلمة المرور: سجل الدخول بالكلمة الجديدة.
reset-mail-subject = أوردو: اختيار كلمة مرور جديدة
reset-mail-body = مرحبا { $name }،

    لاختيار كلمة مرور جديدة في أوردو ({ $administration })، افتح هذا الرابط خلال ساعة:
    { $link }

    إذا لم تطلب ذلك، تجاهل هذه الرسالة: تبقى كلمة المرور كما هي.
field-password-confirmation = الكلمة نفسها مرة ثانية
field-jeton = الرابط
invalid-mismatch = { $field }: الإدخالان مختلفان.
invalid-expired = { $field }: لم يعد هذا الرابط صالحا (يعمل مرة واحدة لمدة ساعة). اطلب رابطا جديدا.
action-user-password_reset_requested = طلب كلمة مرور جديدة
action-user-password_reset = تغيير كلمة المرور

settings-calendar = رزنامة العمل
settings-calendar-hint = تحتسب آجال المعالجة بأيام العمل: دون عطلة نهاية الأسبوع والأعياد الرسمية.
settings-holiday-add = إضافة عطلة رسمية
settings-remove = حذف
field-weekend = عطلة نهاية الأسبوع
field-day = اليوم
weekend-sat-sun = السبت والأحد
weekend-fri-sat = الجمعة والسبت
weekend-fri-sun = الجمعة والأحد
weekend-sun = الأحد
weekend-fri = الجمعة
welcome-mail-subject = أوردو: حسابك جاهز
welcome-mail-body = مرحبا { $name }،

    فُتح لك حساب في أوردو ({ $administration })، اسم المستخدم «{ $login }». لاختيار كلمة المرور، افتح هذا الرابط خلال أسبوع:
    { $link }
organisation-title = التنظيم
organisation-units = الوحدات
organisation-people = الأشخاص
organisation-edit = تعديل
organisation-top = (في القمة)
organisation-unit-add = إضافة وحدة
organisation-person-add = إضافة شخص
organisation-person-hint = إذا كان للشخص عنوان بريد إلكتروني، يُرسل إليه رابط لاختيار كلمة المرور (صالح لأسبوع).
field-parent = تابعة لـ
field-unit-of-person = الوحدة
field-display-name = الاسم
invalid-cycle = { $field }: لا يمكن إلحاق وحدة بإحدى وحداتها الفرعية.
invalid-own-administrator-role = { $field }: لا يمكنك سحب دور المدير من نفسك.
invalid-before-registration = { $field }: لا يمكن أن يسبق أجل المعالجة تاريخ تسجيل المراسلة.
invalid-not-now = { $field }: هذا الإجراء غير ممكن في الحالة الحالية للمراسلة.
invalid-outside-unit = { $field }: لا يمكنك الإحالة إلا إلى وحدتك ووحداتها الفرعية وموظفيها.
invalid-named-only = { $field }: لا تحال المراسلة السرية إلا إلى أشخاص بأسمائهم.
field-action = للمعالجة
field-information = للاطلاع
field-opinion = لإبداء الرأي
field-register = السجل
field-opinion-text = الرأي
field-due-on = أجل المعالجة
field-step = الإجراء
field-purpose = غرض الإحالة
field-outcome = النتيجة
field-visibility = الاطلاع
field-body = ملاحظة
field-instructions = التعليمات
field-target = المرسل إليه
action-unit-added = إضافة وحدة
action-unit-changed = تعديل وحدة
action-user-added = إضافة شخص
action-user-changed = تعديل شخص
organisation-import = استيراد ملف CSV
import-hint = الوحدات: الرمز، الوحدة الأم، الاسم (fr)، الاسم (ar)، الاسم (en)، النوع، مكتب الضبط (نعم/لا). الأشخاص: اسم المستخدم، الاسم، البريد الإلكتروني، الوحدة، الأدوار مفصولة بـ |. تعرض المعاينة كل سطر قبل الاستيراد.
import-kind = المحتوى
import-preview = عرض المعاينة
import-csv = ملف CSV
import-line = السطر
import-content = المحتوى
import-line-ok = صحيح
import-refused = { $count ->
    [one] سطر واحد مرفوض: صححه ثم تحقق من جديد. لا يُستورد شيء ما دام هناك سطر مرفوض.
   *[other] { $count } أسطر مرفوضة: صححها ثم تحقق من جديد. لا يُستورد شيء ما دام هناك سطر مرفوض.
}
import-ready = { $count ->
    [one] سطر واحد جاهز للاستيراد.
   *[other] { $count } أسطر جاهزة للاستيراد.
}
import-check-again = التحقق من جديد
import-confirm = استيراد ({ $count })
import-done = استُورد { $count } سطرا.
reset-back-organisation = الرجوع إلى التنظيم
drafts-batch-nothing-kept = لم يُحتفظ بأي ملف من هذه الدفعة: صحح هذا الملف أو احذفه، ثم أودع الدفعة من جديد.

# Dispatch (imputation) and processing
nav-inbox = صندوق الوارد
inbox-title = صندوقي
inbox-boxes = الصناديق
box-to_register = للتسجيل
box-to_dispatch = للإحالة
box-to_process = للمعالجة
box-information = للاطلاع
box-opinion = لإبداء الرأي
box-overdue = متأخرة
box-unit = وحدتي
box-followed = متابعة
inbox-sort = الترتيب حسب
inbox-sort-echeance = الأجل
inbox-sort-reception = الاستلام
inbox-sort-numero = الرقم
inbox-received = تاريخ الاستلام
inbox-dispatch = الإحالة
inbox-overdue = متأخرة
inbox-limit = لا تُعرض إلا أول { $limit } نتيجة: دقّق البحث.
inbox-empty = لا شيء في الانتظار هنا.
purpose-action = للمعالجة
purpose-information = للاطلاع
purpose-opinion = لإبداء الرأي
dispatch-status-sent = محالة
dispatch-status-accepted = مقبولة
dispatch-status-in_progress = قيد المعالجة
dispatch-status-closed = مغلقة
dispatch-status-returned = مُرجعة
dispatch-status-passed_on = أعيدت إحالتها
dispatch-status-acknowledged = تم الاطلاع
outcome-answered = تم الرد
outcome-no_follow_up = بدون متابعة
outcome-filed = حُفظت
templates-title = نماذج الإحالة
templates-intro = لكل نوع من المراسلات، الوحدة المكلفة عادة بالمعالجة والوحدات المُطلعة: يحيل مكتب الضبط عندئذ بنقرة واحدة.
templates-saved = تم حفظ النموذج.
templates-none = لا شيء
templates-save = حفظ النموذج
dispatch-title = الإحالة والمعالجة
dispatch-sent-by = أحالها { $name }
dispatch-passed-by = أعاد إحالتها { $name }
dispatch-none = لم تُحل هذه المراسلة بعد.
dispatch-by-template = الإحالة حسب نموذج هذا النوع
dispatch-submit = إحالة هذه المراسلة
dispatch-more = إضافة مرسل إليهم للاطلاع أو لإبداء الرأي
dispatch-send = إحالة
dispatch-reply = تحرير الرد
step-accept = قبول
step-start = بدء المعالجة
step-pass-on = إعادة الإحالة
step-close = إغلاق
step-return = إرجاع
step-return-reason = سبب الإرجاع
step-reopen = إعادة الفتح
step-reopen-reason = سبب إعادة الفتح
step-acknowledge = تم الاطلاع
step-give-opinion = إبداء رأيي
follow-start = متابعة هذه المراسلة
follow-stop = إيقاف المتابعة
notes-title = التأشيرات
notes-add = إضافة التأشيرة
visibility-private = لي وحدي
visibility-unit = لوحدتي
visibility-all = لكل من يطلع على المراسلة
reply-drafted-notice = أُنشئت مسودة الرد مرتبطة بالمراسلة الواردة. يسجلها مكتب الضبط عند إرسالها.
reply-subject = رد: { $subject }
dispatch-mail-confidential = (مراسلة سرية: الموضوع ظاهر في أوردو)
dispatch-no-due-date = بدون أجل
dispatch-mail-subject = المراسلة { $number }: { $purpose }
dispatch-mail-body =
    مرحبا { $name }،

    أحيلت إليك المراسلة رقم { $number } ({ $target }): { $purpose }.
    الموضوع: { $subject }
    الأجل: { $due }
    التعليمات: { $instructions }

    لفتحها: { $link }
action-item-dispatched = إحالة
action-item-passed_on = إعادة إحالة
action-item-accepted = قبول
action-item-returned = إرجاع
action-item-started = بدء المعالجة
action-item-closed = إغلاق
action-item-reopened = إعادة فتح
action-item-acknowledged = اطلاع
action-item-noted = تأشيرة
action-item-reply_drafted = مسودة رد
action-settings-dispatch_template = تعديل نموذج إحالة

# Deadlines: reminders, escalations, digests
reminder-before-subject = تذكير: يحل أجل المراسلة { $number } يوم { $due }
reminder-before-body =
    مرحبا { $name }،

    يحل أجل المراسلة رقم { $number } ({ $subject }) المكلف بها يوم { $due }.

    لفتحها: { $link }
reminder-after-subject = متأخرة: كان أجل المراسلة { $number } يوم { $due }
reminder-after-body =
    مرحبا { $name }،

    كان يجب معالجة المراسلة رقم { $number } ({ $subject }) المكلف بها قبل { $due }.

    لفتحها: { $link }
reminder-escalation-subject = إبلاغ بتأخر: المراسلة { $number } (الأجل { $due })
reminder-escalation-body =
    مرحبا { $name }،

    المراسلة رقم { $number } ({ $subject })، المحالة في وحدتك، لم تعالج بعد؛ كان أجلها يوم { $due }.

    لفتحها: { $link }
digest-subject = مراسلاتك المتأخرة أو القريبة الأجل
digest-body =
    مرحبا { $name }،

    هذه المراسلات المكلف بها متأخرة أو قريبة الأجل:
    { $lines }

    صندوقك: { $link }
digest-line-overdue = - { $number }: { $subject } (متأخرة، الأجل { $due })
digest-line-soon = - { $number }: { $subject } (الأجل { $due })
action-item-escalated = إبلاغ رئيس الوحدة بالتأخر
field-remind-before-days = التذكير قبل الأجل (أيام)
field-escalate-after-days = إبلاغ رئيس الوحدة بعد الأجل (أيام)
settings-reminders = التذكير والإبلاغ
settings-reminders-help = يُذكَّر المكلف بالمراسلة قبل الأجل وفي اليوم الموالي له؛ ويُبلَّغ رئيس وحدته بعد المدة المختارة. ويتلقى كل شخص كل صباح قائمة مراسلاته المتأخرة أو القريبة الأجل.
settings-reminders-save = حفظ
identity-title = مزود الهوية
identity-intro = اربط أوردو بدليل إدارتك (OpenID Connect): يتصل كل شخص عندئذ بحسابه المعتاد، وتتبع أدواره مجموعاته في الدليل.
identity-callback = عنوان العودة الذي يصرح به لدى المزود:
identity-saved = تم حفظ مزود الهوية.
identity-secret-kept = اتركه فارغا للاحتفاظ بالسر المحفوظ.
identity-mapping-hint = قاعدة في كل سطر: مجموعة = دور، دور. الأدوار: tenant_admin، bureau_ordre، unit_head، agent، signatory، auditor.
identity-save = حفظ
identity-remove = إزالة المزود
field-issuer = المُصدر
field-client-id = معرّف العميل
field-client-secret = سر العميل
field-login-claim = الخاصية الحاملة للمعرّف
field-roles-claim = الخاصية الحاملة للمجموعات أو الأدوار
field-role-mapping = مطابقة المجموعات بالأدوار
action-settings-identity_provider = تعديل مزود الهوية
action-settings-identity_provider_removed = إزالة مزود الهوية
action-settings-reminders = تعديل التذكير
stats-title = لوحة القيادة
stats-scope-administration = الإدارة كلها.
stats-scope-unit = وحدتك والوحدات التابعة لها.
stats-from = من
stats-to = إلى
stats-export = تصدير بصيغة CSV
stats-backlog = المراسلات المتأخرة حسب مدة التأخر
stats-age = التأخر
stats-count = العدد
stats-unit = الوحدة
stats-overdue = متأخرة
stats-times = آجال المعالجة
stats-times-help = الوسيط / المئين 90 (عدد المراسلات)، حسب الوحدة المكلفة.
stats-step-registration = الاستلام ← التسجيل
stats-step-dispatch = التسجيل ← الإحالة
stats-step-closing = الإحالة ← الإغلاق
stats-volumes = الحجم: { $total } مراسلة مسجلة
stats-by-month = حسب الشهر
stats-by-week = حسب الأسبوع (الاثنين)
stats-by-day = حسب اليوم (آخر 30 يوما)
stats-by-channel = حسب القناة
stats-by-nature = حسب النوع
stats-by-unit = حسب الوحدة المكلفة
stats-table = جدول
stats-none = لا توجد بيانات في هذه الفترة.
stats-not-dispatched = غير محالة
stats-days = يوم
stats-age-1-7 = من 1 إلى 7 أيام
stats-age-8-30 = من 8 إلى 30 يوما
stats-age-31-90 = من 31 إلى 90 يوما
stats-age-over-90 = أكثر من 90 يوما
error-too_many_requests = طلبات كثيرة جدا من اتصالك. انتظر بضع دقائق ثم أعد المحاولة: لن يضيع شيء مما أودعته.
invalid-automated = { $field }: يجب أن يبقى هذا الحقل فارغا؛ يبدو الإرسال آليا.
optional = (اختياري)
field-filer-kind = تودع بصفتك
field-phone = الهاتف
field-message = الرسالة
field-letter = رسالتك (PDF أو صورة)
field-website = الموقع الإلكتروني
filer-person = شخص طبيعي
filer-organisation = هيئة (شركة، جمعية، إدارة)
portal-title = إيداع مراسلة
portal-intro = أودع مراسلتك عبر الإنترنت دون تنقل. تتلقى فورا وصل إيداع بالبريد الإلكتروني، ثم الإشعار الرسمي بالاستلام بمجرد تسجيلها لدى مكتب الضبط.
portal-honeypot = اترك هذا الحقل فارغا
portal-files-hint = { $max } ملفات على الأكثر (PDF أو JPEG أو PNG أو TIFF)، { $mib } م.ب لكل ملف على الأكثر.
portal-submit = إرسال مراسلتي
portal-uploading = جار الإرسال: { $percent } %
portal-upload-failed = انقطع الإرسال. تحقق من اتصالك وأعد إرسال الاستمارة: لن يسجل شيء مرتين.
portal-track-link = تتبع مراسلة مودعة
portal-verify-link = التحقق من إشعار بالاستلام
portal-file-link = إيداع مراسلة أخرى
portal-receipt-title = وصل الإيداع
portal-receipt-intro = أودعت مراسلتك لدى { $administration }. أرسل إليك بريد إلكتروني للتأكيد.
portal-tracking-code = رمز التتبع
portal-files-received = الملفات المستلمة
portal-receipt-next = احتفظ برمز التتبع. بمجرد تسجيل مراسلتك لدى مكتب الضبط، ستتلقى بالبريد الإلكتروني الإشعار الرسمي بالاستلام (PDF) مع رقم التسجيل.
portal-track-title = تتبع مراسلتي
portal-track-not-found = لا توجد مراسلة تطابق هذا الرمز وهذا العنوان الإلكتروني. تحقق من الرمز الذي وصلك بالبريد الإلكتروني.
portal-track-submit = عرض التقدم
portal-reply-download = تنزيل الرد: { $name } ({ $size })
portal-verify-title = التحقق من إشعار بالاستلام
portal-verify-not-found = لا يحمل أي إشعار بالاستلام الرمز { $code } في هذه الإدارة. الوثيقة غير أصلية أو أن الرمز أدخل خطأ.
portal-verify-genuine = هذا الإشعار بالاستلام أصلي: صدر عن الإدارة المذكورة أدناه.
portal-verify-submit = تحقق
portal-administration = الإدارة
portal-issued-at = صدر في
milestone-filed = أودعت
milestone-rejected = رفضت
milestone-registered = سجلت
milestone-sent = أحيلت إلى المصلحة المختصة
milestone-answered = أرسل الرد
milestone-closed = انتهت المعالجة
filing-panel-title = أودعت عبر الإنترنت
filing-filed-at = أودعت في
filing-language = لغة المودع
filing-rejected = رفض الإيداع:
filing-reject = رفض هذا الإيداع (رسائل مزعجة، إساءة)
filing-reject-reason = السبب المبلغ للمودع
filing-reject-submit = رفض الإيداع
reply-publish = تسليم الرد المسجل عبر البوابة
reply-published-at = سلم الرد عبر البوابة في { $at }.
ack-title = إشعار بالاستلام
ack-number = رقم التسجيل
ack-registered-at = سجلت في
ack-received-at = استلمت في
ack-sender = المرسل
ack-subject = الموضوع
ack-verification-code = رمز التحقق
ack-files = الوثائق المستلمة (بصمات SHA-256)
ack-verify-hint = للتحقق من أصالة هذا الإشعار بالاستلام، امسح رمز QR أو افتح العنوان أدناه.
ack-issued = صدر الإشعار (الرمز { $code }) في { $at }.
ack-verify-link = صفحة التحقق
ack-print = طباعة الإشعار بالاستلام (PDF)
ack-email-label = إرسال الإشعار إلى العنوان
ack-send = إرسال بالبريد الإلكتروني
ack-sent-notice = الإشعار بالاستلام في طريقه بالبريد الإلكتروني.
ack-mail-subject = إشعار باستلام مراسلتك رقم { $number }
ack-mail-body = مرحبا،

    سجلت { $administration } مراسلتك في { $date } تحت الرقم { $number }.
    الموضوع: { $subject }

    الإشعار الرسمي بالاستلام مرفق بهذه الرسالة (PDF). تحقق من أصالته هنا:
    { $verify }

    { $tracking }
ack-mail-tracking = تتبع تقدم مراسلتك: { $link }
deposit-mail-subject = وصل الإيداع: { $administration }
deposit-mail-body = مرحبا { $name }،
    { $confirm }

    أودعت مراسلتك لدى { $administration } في { $date }.
    الموضوع: { $subject }
    رمز التتبع: { $code }

    الملفات المستلمة:
    { $files }

    ستتلقى الإشعار الرسمي بالاستلام بمجرد تسجيل مراسلتك. تتبع تقدمها:
    { $link }
filing-rejected-mail-subject = لم يقبل إيداعك لدى { $administration }
filing-rejected-mail-body = مرحبا،

    لم يسجل إيداعك «{ $subject }» (رمز التتبع { $code }).
    السبب: { $reason }
reply-published-mail-subject = رد من { $administration } في انتظارك
reply-published-mail-body = مرحبا،

    الرد على مراسلتك «{ $subject }» متاح. نزله من صفحة التتبع برمزك وعنوانك الإلكتروني:
    { $link }
invalid-infected = { $field }: اكتشف مضاد الفيروسات محتوى ضارا في هذا الملف؛ لم يقبل.
deposit-mail-confirm = أكد عنوانك الإلكتروني ليؤخذ إيداعك بعين الاعتبار: { $link }
portal-receipt-confirm = الخطوة الأخيرة: افتح الرابط الذي وصلك بالبريد الإلكتروني لتأكيد عنوانك. لن يعالج إيداعك إلا بعد هذا التأكيد.
portal-confirm-title = تأكيد إيداعي
portal-confirm-intro = أكد أنك صاحب هذا الإيداع: سيحال بعدها إلى مكتب الضبط.
portal-confirm-submit = أؤكد إيداعي
portal-confirm-done = شكرا: تم تأكيد إيداعك وهو في انتظار تسجيله لدى مكتب الضبط.
portal-confirm-unknown = رابط التأكيد هذا غير صالح. تحقق من أنك فتحت الرابط كاملا كما وصلك بالبريد الإلكتروني.
portal-settings-title = البوابة العمومية والإشعار بالاستلام
portal-settings-intro = تنطبق هذه الإعدادات على صفحة الإيداع عبر الإنترنت لإدارتك وعلى إشعاراتها بالاستلام.
portal-settings-confirm = مطالبة المودعين بتأكيد عنوانهم الإلكتروني قبل احتساب إيداعهم
portal-settings-wording = نص يطبع تحت عنوان الإشعار بالاستلام
portal-settings-signature = كتلة التوقيع (سطر لكل سطر مطبوع)
portal-settings-logo = الشعار (PNG أو JPEG، 200 ك.ب على الأكثر)
portal-settings-logo-remove = إزالة الشعار الحالي
portal-settings-save = حفظ
portal-settings-saved = تم حفظ الإعدادات.
portal-settings-link = عرض صفحة الإيداع
portal-settings-sample = معاينة إشعار بالاستلام (PDF)
field-wording = نص الإشعار
field-signature = كتلة التوقيع
field-logo = الشعار
invalid-file-too-large-kib = { $field }: يتجاوز الملف { $max } ك.ب.
settings-portal-link = البوابة العمومية والإشعار بالاستلام
operator-suspend = تعليق
operator-resume = استئناف
operator-journal = سجل المشغل
operator-journal-empty = لا توجد عملية بعد.
operator-at = التاريخ
operator-actor = بواسطة
operator-action = العملية
operator-outcome = النتيجة
operator-details = التفاصيل
operator-outcome-done = تمت
operator-outcome-refused = رفضت
operator-done-suspendre = علقت الإدارة: لم يعد بإمكان موظفيها تسجيل الدخول وأغلقت بوابتها. بياناتها محفوظة.
operator-done-reprendre = استؤنفت الإدارة: يمكن لموظفيها تسجيل الدخول من جديد وفتحت بوابتها.
operator-refused-unknown-administration = لا توجد إدارة بهذا الرمز.
operator-refused-already-suspended = هذه الإدارة معلقة بالفعل: لم يتغير شيء.
operator-refused-not-suspended = هذه الإدارة غير معلقة: لم يتغير شيء.
error-portal_closed = الإيداع عبر الإنترنت لدى هذه الإدارة مغلق حاليا. لن يضيع شيء مما أودع؛ أعد المحاولة لاحقا أو اتصل بالإدارة مباشرة.

operator-back = العودة إلى لوحة المشغل
operator-create-title = إنشاء إدارة
operator-create-intro = إجراء واحد ينشئ كل ما تحتاجه الإدارة: فضاء وثائقها، وختمها وشهادتها، ومكتب الضبط مع سجلي الوارد والصادر، والأنواع والآجال الافتراضية، وصفحة الإيداع الإلكتروني، ومدخلها في الدليل. يتلقى أول مسؤول عنها دعوة بالبريد الإلكتروني.
operator-create-identity = الهوية
operator-create-working = طريقة العمل
operator-create-admin = أول مسؤول
operator-create-parent-hint = للمصلحة اللاممركزة: رمز الإدارة التي تتبع لها (مثلا MMG).
operator-create-languages-hint = رموز مفصولة بفواصل: fr، ar، en.
operator-create-submit = إنشاء الإدارة
field-level = المستوى
field-parent-body = الإدارة الوصية
field-languages = لغات العمل
field-admin-name = الاسم الكامل
field-admin-login = المعرف
field-admin-email = البريد الإلكتروني (ترسل إليه الدعوة)
level-central = إدارة مركزية
level-decentralised = مصلحة لاممركزة
operator-creation-title = إنشاء الإدارة
operator-creation-count = { $done } من { $total } مراحل منجزة.
operator-step-checking = التحقق من الطلب
operator-step-document-store = فضاء الوثائق (النسخ والقفل)
operator-step-seal = الختم والشهادة
operator-step-records = مكتب الضبط والسجلات والأنواع والدليل والدعوة
operator-step-state-done = منجز
operator-step-state-running = جار…
operator-step-state-failed = فشل
operator-step-state-waiting = لاحقا
operator-creation-done = تم إنشاء الإدارة { $code } ({ $seconds } ث).
operator-creation-portal = عرض صفحة الإيداع الإلكتروني
operator-invitation-waiting = دعوة أول مسؤول: جار الإرسال.
operator-invitation-retrying = دعوة أول مسؤول: خادم البريد لا يجيب ({ $attempts } محاولة)؛ ستعاد تلقائيا.
operator-invitation-sent = أرسلت دعوة أول مسؤول.
operator-invitation-given-up = دعوة أول مسؤول: تم التخلي عنها بعد عدة محاولات. أرسل له رابط كلمة المرور من صفحة الدخول.
operator-creation-failed-checking = توقف الإنشاء عند التحقق من الطلب.
operator-creation-failed-document-store = رفض خادم التخزين S3 فضاء وثائق الإدارة.
operator-creation-failed-seal = تعذر إنشاء ختم الإدارة.
operator-creation-failed-records = فشل تسجيل الإدارة في قاعدة البيانات.
operator-creation-nothing-half-done = لم تبق أي إدارة منشأة جزئيا: لا شيء مرئي أو قابل للاستعمال. بعد إصلاح السبب، استأنف الإنشاء: سيكمل ما بدأ.
operator-creation-resume = استئناف الإنشاء
operator-creation-running = الإنشاء جار؛ تتحدث هذه الصفحة تلقائيا.
operator-unfinished = عمليات إنشاء غير مكتملة
operator-unfinished-stopped = متوقفة، للاستئناف
invalid-code-taken = { $field }: توجد إدارة تحمل هذا الرمز.
invalid-creation-under-way = { $field }: يجري إنشاء هذه الإدارة الآن. إذا توقف الإنشاء، يمكن استئنافه بعد دقيقتين من آخر خطوة فيه.
invalid-unknown-administration = { $field }: لا توجد إدارة تحمل هذا الرمز.
operator-deletion-request = طلب الحذف
operator-deletion-cancel = سحب طلب الحذف
operator-deletion-requested = طلب الحذف في { $at }. صدّر بياناتها (ordo tenant export { $code })، ثم أكّد (ordo tenant delete { $code } --confirm).
operator-done-suppression-demandee = تم طلب الحذف. لن يتم إلا بعد التصدير والتأكيد.
operator-done-suppression-annulee = سحب طلب الحذف: تبقى الإدارة معلّقة.
operator-refused-not-suspended-for-deletion = لا تحذف إلا إدارة معلّقة: علّقها أولا.
operator-refused-deletion-already-requested = حذفها مطلوب من قبل.
operator-refused-deletion-not-requested = لا يوجد طلب حذف لهذه الإدارة.
operator-refused-export-first = صدّر بياناتها أولا: لم يتم أي تصدير منذ طلب الحذف.
operator-refused-deletion-requested = حذفها مطلوب: اسحب الطلب قبل استئنافها.
error-storage_quota_exceeded = فضاء التخزين لهذه الإدارة ممتلئ (بلغ الحد { $limit }): لم تحفظ الوثيقة، ولا يضيع شيء مما حفظ من قبل. أعد المحاولة لاحقا؛ على الإدارة أن تطلب من الوكالة المشغلة رفع حدها.
error-user_quota_exceeded = بلغت إدارتكم حدها من الحسابات ({ $limit }): لم يضف هذا الشخص. اطلبوا من الوكالة المشغلة رفع الحد.
operator-usage = الاستعمال
operator-quotas = الحصص
operator-usage-storage = { $used } من الوثائق
operator-usage-users = { $count } حساب
operator-usage-active = { $count } نشط خلال 30 يوما
operator-usage-items = { $count } بريد مسجل هذا الشهر
operator-at-quota = بلغ الحد
operator-usage-unmeasured = لم يقس بعد
operator-usage-note = يقاس الاستعمال كل خمس دقائق؛ لا تظهر إلا المجاميع، لا المحتوى أبدا.
operator-usage-measure = القياس الآن
operator-quota-storage = التخزين (غ.ب)
operator-quota-users = الحسابات
operator-quota-save = حفظ الحصص
operator-done-quotas = حفظت الحصص. الحقل الفارغ يعني بلا حد.
operator-done-mesure = قيس الاستعمال للتو.
operator-refused-invalid-quota = حصة غير صالحة: عدد موجب من الغيغابايت (مثلا 2 أو 0.5) وعدد صحيح من الحسابات، أو لا شيء لعدم التحديد.
invalid-low-contrast = { $field }: لون فاتح جدا، يصعب قراءة نص أبيض عليه. اختر درجة أغمق.
field-brand-colour = لون الإدارة
portal-settings-colour-hint = بصيغة #RRGGBB؛ يلوّن رأس صفحة الإيداع وأزرارها. يجب أن يبقى غامقا بما يكفي لنص أبيض.

## التبادل الإلكتروني بين الإدارات
exchange-title = التبادل الإلكتروني
exchange-arrived = ورد إلكترونيًا من { $sender }، برقمه { $number }، في { $at }.
exchange-arrival-to_register = في انتظار التسجيل
exchange-arrival-registered = مسجَّل؛ تلقّى المرسِل رقمنا
exchange-arrival-returned = أُعيد إلى المرسِل
exchange-return = إعادة إلى المرسِل
exchange-return-code = السبب
exchange-return-NotCompetent = غير مختصين
exchange-return-Misaddressed = عنوان خاطئ
exchange-return-Incomplete = ناقص
exchange-return-reason = توضيح للمرسِل
exchange-return-submit = إعادة
exchange-sent-at = إرسال بتاريخ { $at }
exchange-recipient = المرسَل إليه
exchange-status = الحالة
exchange-their-number = رقمه
exchange-updated = منذ
exchange-status-sending = قيد الإرسال
exchange-status-accepted = وصل، في انتظار التسجيل
exchange-status-rejected = مرفوض
exchange-status-registered = مسجَّل
exchange-status-returned = مُعاد
exchange-status-read = مقروء
exchange-status-not_delivered = لم يُسلَّم
exchange-resend = إعادة الإرسال
exchange-envelope = الظرف الموقَّع (JSON)
exchange-receipt-json = الإشعار (JSON)
exchange-receipt-signature = التوقيع (CMS)
exchange-receipt-Accepted = إشعار بالاستلام
exchange-receipt-Rejected = رفض
exchange-receipt-Registered = إشعار بالتسجيل
exchange-receipt-Returned = إشعار بالإعادة
exchange-receipt-Read = إشعار بالقراءة
exchange-receipt-NotDelivered = إشعار بعدم التسليم
exchange-send-to = إرسال إلكتروني إلى
exchange-send = إرسال الظرف الموقَّع
field-recipients = المرسَل إليهم
field-reason-code = سبب الإعادة
field-documents = الوثائق
invalid-suspended = { $field }: هذه الإدارة موقوفة من طرف الوكالة المشغِّلة؛ لا تستقبل البريد حاليًا.
organisation-directory = دليل التبادل
organisation-directory-help = يمكن للإدارات الأخرى توجيه البريد الإلكتروني إلى المصالح المحددة؛ يصل البريد إلى مكتب الضبط الخاص بها إن وُجد، وإلا إلى مكتب الضبط المركزي.
organisation-directory-units = المصالح الظاهرة في الدليل
exchange-arrival-read = مسجَّل ومقروء؛ أُبلغ المرسِل بذلك
settings-mail-link = نماذج الرسائل الإلكترونية المرسلة
mail-settings-title = نماذج الرسائل الإلكترونية
mail-settings-intro = تُرسل هذه الرسائل باسم إدارتك، بلونها وشعارها (إعدادات البوابة). يمكن إعادة صياغة كل رسالة بكل لغة؛ وتُعوَّض الحقول الموضوعة بين معقوفتين عند الإرسال. لكتابة معقوفة، اكتبها مرتين.
mail-settings-language = لغة الرسالة
mail-settings-state = النص
mail-settings-default = افتراضي
mail-settings-custom = مخصّص في { $date }
mail-settings-edit = تعديل
mail-settings-placeholders = الحقول المعوَّضة عند الإرسال
mail-settings-required = إلزامي
mail-settings-save = حفظ
mail-settings-reset = العودة إلى النص الافتراضي
mail-settings-saved = حُفظ النموذج: تستعمله الرسائل القادمة.
mail-settings-reset-done = أُعيد النص الافتراضي.
mail-settings-preview = معاينة بقيم على سبيل المثال
mail-settings-back = كل النماذج
mail-kind-deposit = وصل الإيداع عبر الإنترنت
mail-kind-acknowledgment = الإشعار بالاستلام
mail-kind-filing-rejected = إيداع غير مقبول
mail-kind-reply-published = الرد متاح
mail-kind-welcome = دعوة مستخدم جديد
mail-placeholder-administration = اسم الإدارة
mail-placeholder-name = اسم المرسَل إليه
mail-placeholder-subject = موضوع المراسلة
mail-placeholder-date = التاريخ والساعة
mail-placeholder-code = رمز التتبع
mail-placeholder-files = الملفات المستلمة، ملف في كل سطر
mail-placeholder-confirm = طلب تأكيد العنوان مع رابطه (فارغ إن لم تطلبه)
mail-placeholder-link = الرابط الواجب فتحه
mail-placeholder-number = رقم التسجيل
mail-placeholder-verify = عنوان التحقق من الإشعار بالاستلام
mail-placeholder-tracking = جملة التتبع ورابطه (فارغ دون تتبع عبر الإنترنت)
mail-placeholder-reason = السبب
mail-placeholder-login = اسم الدخول
mail-sample-name = مريم سيلا
mail-sample-subject = طلب منحة
mail-sample-reason = الملف غير مكتمل.
field-mail-subject = موضوع الرسالة
field-mail-body = نص الرسالة
invalid-unknown-placeholder = { $field }: حقل بين معقوفتين غير معروف أو غير مغلق. لا تُعوَّض إلا الحقول المذكورة في القائمة؛ لكتابة معقوفة، اكتبها مرتين.
invalid-missing-placeholder = { $field }: يجب أن يتضمن الحقل { $name }، فبدونه لا يستطيع المرسَل إليه متابعة الرسالة.
exchange-rejection-Validation = الظرف ليس بالشكل الذي تنتظره المنصة المستقبِلة.
exchange-rejection-InvalidAddressee = المرسَل إليه غير معروف أو موقوف على منصته.
exchange-rejection-SizeLimit = يتجاوز الظرف الحجم الذي يقبله المرسَل إليه.
exchange-rejection-UnsupportedVersion = لا تعرف المنصة المستقبِلة هذا الإصدار من بروتوكول التبادل.
exchange-rejection-DigestMismatch = ملف مستلم لا يطابق بصمته.
exchange-rejection-SignatureInvalid = تعذّر على المرسَل إليه التحقق من ختم إدارتك.
exchange-rejection-IdConflict = سبق استلام ظرف آخر يحمل نفس المعرّف.
exchange-rejection-NotDelivered = تعذّر تسليم الظرف رغم إعادة المحاولات.
