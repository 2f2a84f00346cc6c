app-name = Ordo
app-tagline = Electronic correspondence management
skip-to-content = Skip to content
language-label = Language
lang-fr = Français
lang-ar = العربية
lang-en = English

nav-home = Home
nav-operator = Operator agency
nav-sign-out = Sign out
signed-in-as = Signed in: { $name }

login-title = Sign in
login-intro = Sign in with the account your administration gave you.
login-administration = Administration (code)
login-administration-hint = For example MMG. Leave empty for the operator agency.
login-login = Login
login-password = Password
login-submit = Sign in

home-title = Home
home-welcome = Welcome, { $name }.
home-administration = Administration
home-roles = Your roles
home-units = Units of the administration
home-unit-bureau = registry office
home-next = Registers, dispatch and mail tracking will appear here.

operator-title = Operator agency
operator-tenants = Hosted administrations
operator-count = { $count ->
    [0] No administration.
    [one] One administration.
   *[other] { $count } administrations.
}
col-code = Code
col-name = Name
col-time-zone = Time zone
col-status = Status
col-created = Created
col-kind = Kind
status-active = active
status-suspended = suspended

role-tenant_admin = Administration administrator
role-bureau_ordre = Registry office agent
role-unit_head = Head of unit
role-agent = Agent
role-signatory = Signatory
role-auditor = Auditor

unit-central = Central services
unit-directorate = Directorate
unit-service = Service
unit-decentralised = Decentralised office

error-title = Something went wrong
error-back = Back to the home page
error-not_found = This page does not exist or you do not have access to it.
error-unauthenticated = Please sign in.
error-forbidden = You are not allowed to do this.
error-invalid_input = Some values are not valid.
error-csrf_rejected = The form has expired. Reload the page and try again.
error-invalid_credentials = Wrong login or password.
error-account_locked = Too many failed attempts: this account is locked for 15 minutes.
error-tenant_suspended = This administration is suspended: sign-in is refused. Contact the operator agency.
error-no_identity_provider = This administration does not sign in through an identity provider: use your Ordo login and password.
error-sign_in_expired = The sign-in expired or was opened in another browser. Start again.
error-identity_rejected = The identity provider did not confirm who you are. Try again; if it persists, contact your administration's administrator.
error-no_role = Your account has no role in Ordo. Ask your administration's administrator to give you one.
login-oidc-title = With my administration's account
login-oidc-intro = If your administration linked Ordo to its directory, sign in with the same account as for your other services.
login-oidc-submit = Continue to my administration
login-oidc-redirecting = Taking you to your administration's sign-in service…
login-oidc-continue = Continue
error-conflict = This value already exists.
error-payload_too_large = The file or form is too large.
error-unavailable = The service is briefly unavailable. Try again in a moment: nothing already saved is lost.
error-internal = An unexpected error occurred. It has been logged; try again in a moment.

field-request = Request
field-code = Code
field-name-fr = Name (French)
field-name-ar = Name (Arabic)
field-name-en = Name (English)
field-time-zone = Time zone
field-login = Login
field-password = Password
field-roles = Roles
field-status = Status
field-kind = Kind

invalid-required = { $field }: this field is required.
invalid-too-short = { $field }: at least { $min } characters.
invalid-too-long = { $field }: at most { $max } characters.
invalid-bad-characters = { $field }: contains characters that are not allowed.
invalid-unknown-time-zone = { $field }: unknown time zone (for example Africa/Conakry).
invalid-unknown-value = { $field }: unknown value.

nav-registers = Registers
registers-title = Registry office registers
register-last-number = last number given:
register-first-number = first number to come:
register-new = New mail
register-next = Register the next one
register-submit = Register
register-year = { $year } register
register-count = { $count ->
    [0] No mail registered.
    [one] One item registered.
   *[other] { $count } items registered.
}
form-has-errors = The form has errors: correct the fields marked below.
direction-incoming = Incoming
direction-outgoing = Outgoing
direction-internal = Internal
nature-letter = Letter
nature-request = Request
nature-invoice = Invoice
nature-note = Note
nature-circular = Circular
nature-decree = Decree or order
nature-report = Report
nature-other = Other
channel-counter = Counter
channel-post = Post
channel-email = E-mail
channel-portal = Online portal
channel-exchange = Exchange between administrations
priority-normal = Normal
priority-urgent = Urgent
priority-very_urgent = Very urgent
confidentiality-normal = Normal
confidentiality-confidential = Confidential
confidentiality-secret = Secret
status-item-draft = draft
status-item-registered = registered
status-item-cancelled = cancelled
item-registered-notice = Mail registered. Write this number on the paper original.
item-registered-at = registered on { $at }
item-draft-title = Draft mail item
actor-system = Ordo (automatic)
item-timeline = History
action-item-registered = Registration
action-item-viewed = Viewed
action-tenant-created = Administration created
col-number = Number
col-registered = Registered
field-sender = Sender
field-subject = Subject
field-recipient = Recipient
field-letter-date = Letter date
field-nature = Kind
field-channel = Received by
field-priority = Priority
field-confidentiality = Confidentiality
field-keywords = Keywords
field-paper-location = Where the paper original is kept
field-number-format = Number format
field-direction = Direction
invalid-not-a-date = { $field }: not a valid date (expected YYYY-MM-DD).
invalid-in-future = { $field }: the date cannot be in the future.

field-document = Main document (scan or letter)
field-attachments = Attachments
register-document-hint = PDF, JPEG, PNG or TIFF, { $max } MB at most per file.
item-documents = Documents
document-main = main document
document-download = Download
col-file = File
col-size = Size
col-fingerprint = SHA-256 fingerprint
action-document-viewed = Document viewed
action-document-downloaded = Document downloaded
invalid-empty-file = { $field }: the file is empty.
invalid-file-too-large = { $field }: the file is larger than { $max } MB.
invalid-file-type-not-allowed = { $field }: only PDF, JPEG, PNG and TIFF files are accepted.
invalid-file-type-mismatch = { $field }: the file's content does not match its type or extension.

slip-title = Registration slip
slip-qr = QR code of the registration number
slip-back = Back to the item
slip-print-hint = Print this page (Ctrl+P) and staple it to the original.
register-export-csv = Export as CSV
action-register-exported = Register exported

invalid-too-many-files = { $field }: at most { $max } files per item.
field-idempotency-key = Idempotency-Key header

nav-directory = Directory
draft-complete = Complete the draft
drafts-title = Drafts
drafts-left = { $count } drafts of this pile are left to complete.
drafts-none = No draft waiting.
drafts-saved = Draft saved: it is waiting to be completed.
drafts-batch = Scan a pile of mail
drafts-batch-hint = Up to { $count } files at once ({ $max } MB at most each): every scan becomes a draft to complete.
drafts-batch-submit = Upload the scans
drafts-batch-done = { $count ->
    [one] One scan uploaded: it is waiting to be completed.
   *[other] { $count } scans uploaded: they are waiting to be completed.
}
field-scans = Scans
col-received = Received
register-save-draft = Save as draft
register-and-next = Register and go to the next
field-received-at = Received on
received-at-hint = Leave empty if the mail arrives now.
scan-label = Scan preview
scan-empty = The chosen scan shows here.
correct-title = Correct
correct-submit = Save the correction
cancel-back = Back without correcting
field-reason = Reason
field-correction = Correction
item-corrected-notice = Correction saved: the item is now at version { $version }.
item-version = version { $version }
item-versions = Versions
item-due = Due by
item-correct = Correct
item-cancel = Cancel the registration
item-cancel-submit = Cancel the registration (the number stays taken)
item-cancelled-because = Registration cancelled. Reason:
item-links = Linked items
field-link-kind = Link
field-link-to = Number of the linked item
link-submit = Link
link-replies_to = Replies to
link-follows_up = Follows up
link-duplicate_of = Duplicate of
link-replied_by = Replied to by
link-followed_by = Followed up by
link-duplicated_by = Duplicated by
action-item-drafted = Draft created
action-item-corrected = Correction
action-item-cancelled = Registration cancelled
action-item-linked = Link added
action-document-added = Document added
filter-text = Search (subject, sender, number…)
filter-all = All
filter-submit = Filter
register-narrow = Only the { $count } most recent are shown: narrow the search.
directory-title = Correspondents directory
directory-search = Search for a correspondent
directory-flag = Flag
directory-possible-duplicate = Possible duplicate of
directory-add = Add a correspondent
directory-classify = Classify
field-name = Name
field-email = E-mail
field-address = Address
field-sender-id = Sender (directory)
field-recipient-ids = Recipient (directory)
kind-person = Person
kind-organisation = Organisation
kind-unknown = not classified
settings-title = Registry settings
settings-natures = Kinds of mail
settings-priorities = Priorities
settings-save = Save
settings-add = Add
settings-documents = Documents
settings-documents-hint = Between 1 and { $max } MB.
field-processing-days = Processing time (days)
field-max-mib = Largest document (MB)
field-list = List
field-link-kind-label = Link
field-role = Document role
field-file-name = File name
invalid-out-of-range = { $field }: expected between { $range }.
invalid-not-a-date-time = { $field }: not a valid date and time (expected YYYY-MM-DD HH:MM).
invalid-before-letter-date = { $field }: mail cannot have been received before the letter's date.
invalid-nothing-changed = { $field }: no field has changed.
invalid-unknown-correspondent = { $field }: this correspondent is not in the directory.
invalid-unknown-item = { $field }: no item you can see bears this number.
invalid-too-many-recipients = { $field }: at most { $max } recipients, separated by semicolons.
recipient-hint = Several recipients: separate them with semicolons (;).
invalid-already-used = { $field }: already used in this administration.
settings-registers = Registers
settings-registers-hint = The format applies to the numbers still to give; { "{year}" } is the year, { "{seq:6}" } the number on 6 digits.
settings-register-add = Open a register
field-unit = Bureau d'ordre
draft-registered-notice = Registered as { $number }: write it on the original. Here is the next one of the pile.

login-forgot = Forgotten password?
reset-title = New password
reset-intro = Give your administration and your login: if your account has an e-mail address, a link to choose a new password is sent there.
reset-send = Send me the link
reset-sent = If this account exists and has an e-mail address, a link has just been sent there. It works once, for one hour.
reset-back = Back to sign-in
reset-again = Ask for a new link
reset-submit = Save the new password
reset-password-hint = At least 10 characters.
reset-done = Your password has been changed: sign in with the new one.
reset-mail-subject = Ordo: choose a new password
reset-mail-body = Hello { $name },

    To choose a new Ordo password ({ $administration }), open this link within the hour:
    { $link }

    If you did not ask for this, ignore this message: your password stays as it is.
field-password-confirmation = The same, once more
field-jeton = Link
invalid-mismatch = { $field }: the two entries differ.
invalid-expired = { $field }: this link no longer works (it works once, for one hour). Ask for a new one.
action-user-password_reset_requested = New password asked
action-user-password_reset = Password changed

settings-calendar = Working calendar
settings-calendar-hint = Processing times are counted in working days: weekends and public holidays excluded.
settings-holiday-add = Add a public holiday
settings-remove = Remove
field-weekend = Weekend
field-day = Day
weekend-sat-sun = Saturday and Sunday
weekend-fri-sat = Friday and Saturday
weekend-fri-sun = Friday and Sunday
weekend-sun = Sunday
weekend-fri = Friday
welcome-mail-subject = Ordo: your account is ready
welcome-mail-body = Hello { $name },

    An Ordo account has just been opened for you ({ $administration }), login "{ $login }". To choose your password, open this link within the week:
    { $link }
organisation-title = Organisation
organisation-units = Units
organisation-people = People
organisation-edit = Change
organisation-top = (at the top)
organisation-unit-add = Add a unit
organisation-person-add = Add a person
organisation-person-hint = With an e-mail address, the person is sent a link to choose their password (valid for a week).
field-parent = Under
field-unit-of-person = Unit
field-display-name = Name
invalid-cycle = { $field }: a unit cannot be placed under one of its own sub-units.
invalid-own-administrator-role = { $field }: you cannot remove your own administrator role.
invalid-before-registration = { $field }: the due date cannot precede the item's registration.
invalid-not-now = { $field }: this is not possible in the item's present state.
invalid-outside-unit = { $field }: you can only dispatch to your unit, its sub-units and their people.
invalid-named-only = { $field }: a secret item is dispatched to named people only.
field-action = For action
field-information = For information
field-opinion = For opinion
field-register = Register
field-opinion-text = Opinion
field-due-on = Due date
field-step = Action
field-purpose = Purpose
field-outcome = Outcome
field-visibility = Visibility
field-body = Note
field-instructions = Instructions
field-target = Recipient
action-unit-added = Unit added
action-unit-changed = Unit changed
action-user-added = Person added
action-user-changed = Person changed
organisation-import = Import a CSV file
import-hint = Units: code, parent unit, name (fr), name (ar), name (en), kind, bureau d'ordre (yes/no). People: login, name, e-mail, unit, roles separated by |. A preview shows every line before the import.
import-kind = Content
import-preview = See the preview
import-csv = CSV file
import-line = Line
import-content = Content
import-line-ok = correct
import-refused = { $count ->
    [one] One line is refused: correct it and check again. Nothing is imported while a line is refused.
   *[other] { $count } lines are refused: correct them and check again. Nothing is imported while a line is refused.
}
import-ready = { $count ->
    [one] One line is ready to import.
   *[other] { $count } lines are ready to import.
}
import-check-again = Check again
import-confirm = Import ({ $count })
import-done = { $count } lines imported.
reset-back-organisation = Back to the organisation
drafts-batch-nothing-kept = No scan of this pile was kept: correct or remove this file, then upload the pile again.

# Dispatch (imputation) and processing
nav-inbox = Inbox
inbox-title = My inbox
inbox-boxes = Boxes
box-to_register = To register
box-to_dispatch = To dispatch
box-to_process = To process
box-information = For information
box-opinion = For opinion
box-overdue = Overdue
box-unit = My unit
box-followed = Followed
inbox-sort = Sort by
inbox-sort-echeance = Due date
inbox-sort-reception = Received
inbox-sort-numero = Number
inbox-received = Received
inbox-dispatch = Dispatch
inbox-overdue = overdue
inbox-limit = Only the first { $limit } are shown: narrow the search.
inbox-empty = Nothing waiting here.
purpose-action = For action
purpose-information = For information
purpose-opinion = For opinion
dispatch-status-sent = Sent
dispatch-status-accepted = Accepted
dispatch-status-in_progress = In progress
dispatch-status-closed = Closed
dispatch-status-returned = Returned
dispatch-status-passed_on = Passed on
dispatch-status-acknowledged = Seen
outcome-answered = Answered
outcome-no_follow_up = No follow-up
outcome-filed = Filed
templates-title = Dispatch templates
templates-intro = For each nature of mail, the unit usually responsible and those informed: the bureau d'ordre then dispatches in one click.
templates-saved = Template saved.
templates-none = None
templates-save = Save the template
dispatch-title = Dispatch and processing
dispatch-sent-by = Dispatched by { $name }
dispatch-passed-by = Passed on by { $name }
dispatch-none = This item has not been dispatched yet.
dispatch-by-template = Dispatch with this nature's template
dispatch-submit = Dispatch this item
dispatch-more = Add recipients for information or opinion
dispatch-send = Dispatch
dispatch-reply = Draft the reply
step-accept = Accept
step-start = Start processing
step-pass-on = Pass on
step-close = Close
step-return = Return
step-return-reason = Reason for returning
step-reopen = Reopen
step-reopen-reason = Reason for reopening
step-acknowledge = Mark as seen
step-give-opinion = Give my opinion
follow-start = Follow this item
follow-stop = Stop following
notes-title = Notes
notes-add = Add the note
visibility-private = For me only
visibility-unit = For my unit
visibility-all = For everyone who sees the item
reply-drafted-notice = Reply draft created, linked to the incoming item. The bureau d'ordre registers it when it leaves.
reply-subject = Reply: { $subject }
dispatch-mail-confidential = (confidential item: subject visible in Ordo)
dispatch-no-due-date = no due date
dispatch-mail-subject = Item { $number }: { $purpose }
dispatch-mail-body =
    Hello { $name },

    Item no. { $number } has been dispatched to you ({ $target }): { $purpose }.
    Subject: { $subject }
    Due: { $due }
    Instructions: { $instructions }

    To open it: { $link }
action-item-dispatched = Dispatch
action-item-passed_on = Passed on
action-item-accepted = Accepted
action-item-returned = Returned
action-item-started = Processing started
action-item-closed = Closed
action-item-reopened = Reopened
action-item-acknowledged = Seen
action-item-noted = Note
action-item-reply_drafted = Reply drafted
action-settings-dispatch_template = Dispatch template changed

# Deadlines: reminders, escalations, digests
reminder-before-subject = Reminder: item { $number } is due on { $due }
reminder-before-body =
    Hello { $name },

    Item no. { $number } ({ $subject }), which you are responsible for, is due on { $due }.

    To open it: { $link }
reminder-after-subject = Overdue: item { $number } was due on { $due }
reminder-after-body =
    Hello { $name },

    Item no. { $number } ({ $subject }), which you are responsible for, was due on { $due }.

    To open it: { $link }
reminder-escalation-subject = Delay reported: item { $number } (due { $due })
reminder-escalation-body =
    Hello { $name },

    Item no. { $number } ({ $subject }), dispatched in your unit, is still not processed; it was due on { $due }.

    To open it: { $link }
digest-subject = Your overdue and soon-due items
digest-body =
    Hello { $name },

    These items you are responsible for are overdue or due soon:
    { $lines }

    Your inbox: { $link }
digest-line-overdue = - { $number }: { $subject } (overdue, due { $due })
digest-line-soon = - { $number }: { $subject } (due { $due })
action-item-escalated = Delay reported to the unit head
field-remind-before-days = Reminder before the due date (days)
field-escalate-after-days = Report to the unit head after the due date (days)
settings-reminders = Reminders and escalation
settings-reminders-help = The one responsible for an item is reminded before the due date and the day after; their unit head is told after the delay chosen. Each morning everyone gets the list of their overdue and soon-due items.
settings-reminders-save = Save
identity-title = Identity provider
identity-intro = Link Ordo to your administration's directory (OpenID Connect): everyone then signs in with their usual account, and their roles follow their groups in the directory.
identity-callback = Redirect address to declare at the provider:
identity-saved = Identity provider saved.
identity-secret-kept = Leave empty to keep the stored secret.
identity-mapping-hint = One rule a line: group = role, role. Roles: tenant_admin, bureau_ordre, unit_head, agent, signatory, auditor.
identity-save = Save
identity-remove = Remove the provider
field-issuer = Issuer
field-client-id = Client ID
field-client-secret = Client secret
field-login-claim = Claim carrying the login
field-roles-claim = Claim carrying the groups or roles
field-role-mapping = Groups → roles mapping
action-settings-identity_provider = Identity provider changed
action-settings-identity_provider_removed = Identity provider removed
action-settings-reminders = Reminders changed
stats-title = Dashboard
stats-scope-administration = The whole administration.
stats-scope-unit = Your unit and the units under it.
stats-from = From
stats-to = to
stats-export = Export as CSV
stats-backlog = Overdue items, by how late
stats-age = Late by
stats-count = Count
stats-unit = Unit
stats-overdue = Overdue
stats-times = Processing times
stats-times-help = Median / 90th percentile (number of items), per responsible unit.
stats-step-registration = Received → registered
stats-step-dispatch = Registered → dispatched
stats-step-closing = Dispatched → closed
stats-volumes = Volumes: { $total } items registered
stats-by-month = By month
stats-by-week = By week (Monday)
stats-by-day = By day (last 30 days)
stats-by-channel = By channel
stats-by-nature = By nature
stats-by-unit = By responsible unit
stats-table = Table
stats-none = No data for the period.
stats-not-dispatched = Not dispatched
stats-days = d
stats-age-1-7 = 1 to 7 days
stats-age-8-30 = 8 to 30 days
stats-age-31-90 = 31 to 90 days
stats-age-over-90 = over 90 days
error-too_many_requests = Too many requests from your connection. Wait a few minutes and try again: nothing you already filed is lost.
invalid-automated = { $field }: this field must stay empty; the submission looks automated.
optional = (optional)
field-filer-kind = You are filing as
field-phone = Telephone
field-message = Message
field-letter = Your letter (PDF or photo)
field-website = Website
filer-person = A private person
filer-organisation = An organisation (company, association, administration)
portal-title = File a letter
portal-intro = File your letter online, without travelling. You get a deposit receipt by e-mail at once, then the official acknowledgment of receipt as soon as the registry office has registered it.
portal-honeypot = Leave this field empty
portal-files-hint = At most { $max } files (PDF, JPEG, PNG or TIFF), { $mib } MB each at most.
portal-submit = Send my letter
portal-uploading = Sending: { $percent } %
portal-upload-failed = Sending was interrupted. Check your connection and send the form again: nothing is recorded twice.
portal-track-link = Follow a filed letter
portal-verify-link = Check an acknowledgment of receipt
portal-file-link = File another letter
portal-receipt-title = Deposit receipt
portal-receipt-intro = Your letter has been filed with { $administration }. A confirmation e-mail has been sent to you.
portal-tracking-code = Tracking code
portal-files-received = Files received
portal-receipt-next = Keep your tracking code. As soon as the registry office registers your letter, you will receive the official acknowledgment of receipt (PDF) with its registration number by e-mail.
portal-track-title = Follow my letter
portal-track-not-found = No letter matches this code and e-mail address. Check the code you received by e-mail.
portal-track-submit = See progress
portal-reply-download = Download the reply: { $name } ({ $size })
portal-verify-title = Check an acknowledgment of receipt
portal-verify-not-found = No acknowledgment of receipt has the code { $code } in this administration. The document is not genuine or the code was mistyped.
portal-verify-genuine = This acknowledgment of receipt is genuine: it was issued by the administration below.
portal-verify-submit = Check
portal-administration = Administration
portal-issued-at = Issued on
milestone-filed = Filed
milestone-rejected = Refused
milestone-registered = Registered
milestone-sent = Sent to the competent unit
milestone-answered = Reply sent
milestone-closed = Processing completed
filing-panel-title = Filed online
filing-filed-at = Filed on
filing-language = Filer's language
filing-rejected = Filing refused:
filing-reject = Refuse this filing (spam, abuse)
filing-reject-reason = Reason given to the filer
filing-reject-submit = Refuse the filing
reply-publish = Hand the registered reply over through the portal
reply-published-at = Reply handed over through the portal on { $at }.
ack-title = Acknowledgment of receipt
ack-number = Registration number
ack-registered-at = Registered on
ack-received-at = Received on
ack-sender = Sender
ack-subject = Subject
ack-verification-code = Verification code
ack-files = Documents received (SHA-256 fingerprints)
ack-verify-hint = To check this acknowledgment of receipt is genuine, scan the QR code or open the address below.
ack-issued = Acknowledgment issued (code { $code }) on { $at }.
ack-verify-link = Verification page
ack-print = Print the acknowledgment of receipt (PDF)
ack-email-label = Send the acknowledgment to
ack-send = Send by e-mail
ack-sent-notice = The acknowledgment of receipt is on its way by e-mail.
ack-mail-subject = Acknowledgment of receipt of your letter no. { $number }
ack-mail-body = Hello,

    { $administration } registered your letter on { $date } under number { $number }.
    Subject: { $subject }

    The official acknowledgment of receipt is attached (PDF). Check it is genuine here:
    { $verify }

    { $tracking }
ack-mail-tracking = Follow your letter's progress: { $link }
deposit-mail-subject = Deposit receipt: { $administration }
deposit-mail-body = Hello { $name },
    { $confirm }

    Your letter was filed with { $administration } on { $date }.
    Subject: { $subject }
    Tracking code: { $code }

    Files received:
    { $files }

    You will receive the official acknowledgment of receipt as soon as your letter is registered. Follow its progress:
    { $link }
filing-rejected-mail-subject = Your filing with { $administration } was not accepted
filing-rejected-mail-body = Hello,

    Your filing "{ $subject }" (tracking code { $code }) was not registered.
    Reason: { $reason }
reply-published-mail-subject = A reply from { $administration } is waiting for you
reply-published-mail-body = Hello,

    The reply to your letter "{ $subject }" is available. Download it from the tracking page, with your code and your e-mail address:
    { $link }
invalid-infected = { $field }: the antivirus found malicious content in this file; it was not accepted.
deposit-mail-confirm = Confirm your e-mail address for your filing to count: { $link }
portal-receipt-confirm = Last step: open the link we e-mailed you to confirm your address. Your filing is processed only once confirmed.
portal-confirm-title = Confirm my filing
portal-confirm-intro = Confirm that you made this filing: it will then go to the registry office.
portal-confirm-submit = I confirm my filing
portal-confirm-done = Thank you: your filing is confirmed and waits to be registered by the registry office.
portal-confirm-unknown = This confirmation link is not valid. Check that you opened the whole link from the e-mail.
portal-settings-title = Public portal and acknowledgment of receipt
portal-settings-intro = These settings apply to your administration's online filing page and to its acknowledgments of receipt.
portal-settings-confirm = Ask filers to confirm their e-mail address before their filing counts
portal-settings-wording = Text printed under the acknowledgment's title
portal-settings-signature = Signature block (one line per printed line)
portal-settings-logo = Logo (PNG or JPEG, 200 KB at most)
portal-settings-logo-remove = Remove the current logo
portal-settings-save = Save
portal-settings-saved = Settings saved.
portal-settings-link = See the filing page
portal-settings-sample = Sample acknowledgment of receipt (PDF)
field-wording = Acknowledgment text
field-signature = Signature block
field-logo = Logo
invalid-file-too-large-kib = { $field }: the file is over { $max } KB.
settings-portal-link = Public portal and acknowledgment of receipt
operator-suspend = Suspend
operator-resume = Resume
operator-journal = Operator's journal
operator-journal-empty = No operation yet.
operator-at = Date
operator-actor = By
operator-action = Operation
operator-outcome = Outcome
operator-details = Details
operator-outcome-done = done
operator-outcome-refused = refused
operator-done-suspendre = Administration suspended: its people can no longer sign in and its portal is closed. Its data is kept.
operator-done-reprendre = Administration resumed: its people can sign in again and its portal is open.
operator-refused-unknown-administration = No administration has this code.
operator-refused-already-suspended = This administration is already suspended: nothing changed.
operator-refused-not-suspended = This administration is not suspended: nothing changed.
error-portal_closed = This administration's online filing is closed for now. Nothing already filed is lost; try again later or contact the administration directly.

operator-back = Back to the operator console
operator-create-title = Create an administration
operator-create-intro = One action creates everything the administration needs: its document store, its seal and certificate, its bureau d'ordre with incoming and outgoing registers, its default natures and processing times, its online filing page and its directory entry. Its first administrator is invited by e-mail.
operator-create-identity = Identity
operator-create-working = How it works
operator-create-admin = First administrator
operator-create-parent-hint = For a decentralised office: the code of the administration it belongs to (for example MMG).
operator-create-languages-hint = Codes separated by commas: fr, ar, en.
operator-create-submit = Create the administration
field-level = Level
field-parent-body = Parent body
field-languages = Working languages
field-admin-name = Full name
field-admin-login = Login
field-admin-email = E-mail (the invitation goes there)
level-central = central administration
level-decentralised = decentralised office
operator-creation-title = Creation of the administration
operator-creation-count = { $done } of { $total } step(s) done.
operator-step-checking = Checking the request
operator-step-document-store = Document store (versioning and object lock)
operator-step-seal = Seal and certificate
operator-step-records = Bureau d'ordre, registers, natures, directory and invitation
operator-step-state-done = done
operator-step-state-running = running…
operator-step-state-failed = failed
operator-step-state-waiting = to come
operator-creation-done = The administration { $code } is created ({ $seconds } s).
operator-creation-portal = See its online filing page
operator-invitation-waiting = Invitation of the first administrator: being sent.
operator-invitation-retrying = Invitation of the first administrator: the mail server does not answer ({ $attempts } attempt(s)); it will be sent again automatically.
operator-invitation-sent = Invitation of the first administrator sent.
operator-invitation-given-up = Invitation of the first administrator: given up after several attempts. Send a password link from the sign-in page.
operator-creation-failed-checking = The creation stopped while checking the request.
operator-creation-failed-document-store = The S3 storage server refused the administration's document store.
operator-creation-failed-seal = The administration's seal could not be made.
operator-creation-failed-records = Writing the administration to the database failed.
operator-creation-nothing-half-done = No half-created administration remains: nothing is visible or usable. Once the cause is fixed, resume the creation: it completes what was begun.
operator-creation-resume = Resume the creation
operator-creation-running = Creation running; this page updates itself.
operator-unfinished = Unfinished creations
operator-unfinished-stopped = stopped, to resume
invalid-code-taken = { $field }: an administration already has this code.
invalid-creation-under-way = { $field }: this administration is being created right now. If that creation has stopped, it can be taken up two minutes after its last step.
invalid-unknown-administration = { $field }: no administration has this code.
operator-deletion-request = Request deletion
operator-deletion-cancel = Withdraw the deletion request
operator-deletion-requested = Deletion requested on { $at }. Export its data (ordo tenant export { $code }), then confirm (ordo tenant delete { $code } --confirm).
operator-done-suppression-demandee = Deletion requested. It happens only after an export and a confirmation.
operator-done-suppression-annulee = Deletion request withdrawn: the administration stays, suspended.
operator-refused-not-suspended-for-deletion = Only a suspended administration can be deleted: suspend it first.
operator-refused-deletion-already-requested = Its deletion is already requested.
operator-refused-deletion-not-requested = No deletion is requested for this administration.
operator-refused-export-first = Export its data first: no export was made since the deletion request.
operator-refused-deletion-requested = Its deletion is requested: withdraw the request before resuming it.
error-storage_quota_exceeded = This administration's storage is full (quota of { $limit } reached): the document was not saved, and nothing saved before is lost. Try again later; the administration must have its quota raised by the operator agency.
error-user_quota_exceeded = Your administration has reached its quota of { $limit } accounts: the person was not added. Ask the operator agency to raise the quota.
operator-usage = Usage
operator-quotas = Quotas
operator-usage-storage = { $used } of documents
operator-usage-users = { $count ->
    [one] 1 account
   *[other] { $count } accounts
}
operator-usage-active = { $count } active over 30 days
operator-usage-items = { $count ->
    [one] 1 item registered this month
   *[other] { $count } items registered this month
}
operator-at-quota = Quota reached
operator-usage-unmeasured = not measured yet
operator-usage-note = Usage is measured every five minutes; only totals are shown, never content.
operator-usage-measure = Measure now
operator-quota-storage = Storage (GB)
operator-quota-users = Accounts
operator-quota-save = Save the quotas
operator-done-quotas = Quotas saved. An empty field means no limit.
operator-done-mesure = Usage measured just now.
operator-refused-invalid-quota = Invalid quota: a positive number of GB (for example 2 or 0.5) and a whole number of accounts, or nothing for no limit.
invalid-low-contrast = { $field }: too light a colour, white text on it would be hard to read. Choose a darker shade.
field-brand-colour = The administration's colour
portal-settings-colour-hint = As #RRGGBB; it colours the filing page's header and buttons. It must stay dark enough for white text.

## Electronic exchange between administrations
exchange-title = Electronic exchange
exchange-arrived = Received electronically from { $sender }, under its number { $number }, on { $at }.
exchange-arrival-to_register = To be registered
exchange-arrival-registered = Registered; the sender has our number
exchange-arrival-returned = Returned to the sender
exchange-return = Return to the sender
exchange-return-code = Reason
exchange-return-NotCompetent = Not within our remit
exchange-return-Misaddressed = Misaddressed
exchange-return-Incomplete = Incomplete
exchange-return-reason = Explanation for the sender
exchange-return-submit = Return
exchange-sent-at = Sent on { $at }
exchange-recipient = Recipient
exchange-status = Status
exchange-their-number = Their number
exchange-updated = Since
exchange-status-sending = Being sent
exchange-status-accepted = Received, awaiting registration
exchange-status-rejected = Rejected
exchange-status-registered = Registered
exchange-status-returned = Returned
exchange-status-read = Read
exchange-status-not_delivered = Not delivered
exchange-resend = Send again
exchange-envelope = Signed envelope (JSON)
exchange-receipt-json = receipt (JSON)
exchange-receipt-signature = signature (CMS)
exchange-receipt-Accepted = Receipt of delivery
exchange-receipt-Rejected = Rejection
exchange-receipt-Registered = Receipt of registration
exchange-receipt-Returned = Notice of return
exchange-receipt-Read = Notice of reading
exchange-receipt-NotDelivered = Notice of non-delivery
exchange-send-to = Send electronically to
exchange-send = Send the signed envelope
field-recipients = Recipients
field-reason-code = Reason for return
field-documents = Documents
invalid-suspended = { $field }: this administration is suspended by the operator agency; it takes no mail for now.
organisation-directory = Exchange directory
organisation-directory-help = Other administrations may address electronic mail to the units ticked; it arrives in their own bureau d'ordre if they have one, otherwise in the central one.
organisation-directory-units = Units shown in the directory
exchange-arrival-read = Registered and read; the sender has been told
settings-mail-link = Templates of the e-mails sent
mail-settings-title = E-mail templates
mail-settings-intro = These e-mails go out in your administration's name, in its colour and with its logo (portal settings). Each can be reworded in each language; the fields in braces are filled in when sending. To write a brace, double it.
mail-settings-language = Language of the e-mail
mail-settings-state = Text
mail-settings-default = default
mail-settings-custom = customised on { $date }
mail-settings-edit = Edit
mail-settings-placeholders = Fields filled in when sending
mail-settings-required = required
mail-settings-save = Save
mail-settings-reset = Back to the default text
mail-settings-saved = Template saved: the next e-mails use it.
mail-settings-reset-done = Default text restored.
mail-settings-preview = Preview with sample values
mail-settings-back = All templates
mail-kind-deposit = Online deposit receipt
mail-kind-acknowledgment = Acknowledgment of receipt
mail-kind-filing-rejected = Filing not accepted
mail-kind-reply-published = Reply available
mail-kind-welcome = Invitation of a new user
mail-placeholder-administration = the administration's name
mail-placeholder-name = the recipient's name
mail-placeholder-subject = the letter's subject
mail-placeholder-date = the date and time
mail-placeholder-code = the tracking code
mail-placeholder-files = the files received, one per line
mail-placeholder-confirm = the request to confirm the address, with its link (empty if you do not ask for it)
mail-placeholder-link = the link to open
mail-placeholder-number = the registration number
mail-placeholder-verify = where the acknowledgment can be checked
mail-placeholder-tracking = the tracking sentence and link (empty without online tracking)
mail-placeholder-reason = the reason
mail-placeholder-login = the sign-in name
mail-sample-name = Mariama Sylla
mail-sample-subject = Scholarship application
mail-sample-reason = The file is incomplete.
field-mail-subject = E-mail subject
field-mail-body = E-mail text
invalid-unknown-placeholder = { $field }: a field in braces is unknown or not closed. Only those in the list are filled in; to write a brace, double it.
invalid-missing-placeholder = { $field }: the field { $name } must be in it, without it the recipient cannot act on the e-mail.
exchange-rejection-Validation = The envelope is not in the form the receiving platform expects.
exchange-rejection-InvalidAddressee = The recipient is unknown or suspended on its platform.
exchange-rejection-SizeLimit = The envelope is larger than the recipient accepts.
exchange-rejection-UnsupportedVersion = The receiving platform does not know this version of the exchange protocol.
exchange-rejection-DigestMismatch = A file received does not match its fingerprint.
exchange-rejection-SignatureInvalid = The recipient could not verify your administration's seal.
exchange-rejection-IdConflict = Another envelope with the same identifier was received before.
exchange-rejection-NotDelivered = The envelope could not be delivered despite the retries.
