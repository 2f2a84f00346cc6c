app-name = Ordo
app-tagline = Gestion électronique des courriers
skip-to-content = Aller au contenu
language-label = Langue
lang-fr = Français
lang-ar = العربية
lang-en = English

nav-home = Accueil
nav-operator = Agence opératrice
nav-sign-out = Se déconnecter
signed-in-as = Connecté : { $name }

login-title = Connexion
login-intro = Connectez-vous avec le compte que votre administration vous a remis.
login-administration = Administration (code)
login-administration-hint = Par exemple MMG. Laissez vide pour l'agence opératrice.
login-login = Identifiant
login-password = Mot de passe
login-submit = Se connecter

home-title = Accueil
home-welcome = Bienvenue, { $name }.
home-administration = Administration
home-roles = Vos rôles
home-units = Entités de l'administration
home-unit-bureau = bureau d'ordre
home-next = Les registres, l'imputation et le suivi des courriers arrivent ici.

operator-title = Agence opératrice
operator-tenants = Administrations hébergées
operator-count = { $count ->
    [0] Aucune administration.
    [one] Une administration.
   *[other] { $count } administrations.
}
col-code = Code
col-name = Nom
col-time-zone = Fuseau horaire
col-status = État
col-created = Créée le
col-kind = Nature
status-active = active
status-suspended = suspendue

role-tenant_admin = Administrateur de l'administration
role-bureau_ordre = Agent du bureau d'ordre
role-unit_head = Chef de service
role-agent = Agent
role-signatory = Signataire
role-auditor = Auditeur

unit-central = Services centraux
unit-directorate = Direction
unit-service = Service
unit-decentralised = Service déconcentré

error-title = Une erreur est survenue
error-back = Revenir à l'accueil
error-not_found = Cette page n'existe pas ou vous n'y avez pas accès.
error-unauthenticated = Veuillez vous connecter.
error-forbidden = Vous n'avez pas le droit de faire cette action.
error-invalid_input = Certaines valeurs ne sont pas valables.
error-csrf_rejected = Le formulaire a expiré. Rechargez la page et recommencez.
error-invalid_credentials = Identifiant ou mot de passe incorrect.
error-account_locked = Trop d'essais infructueux : ce compte est bloqué pendant 15 minutes.
error-tenant_suspended = Cette administration est suspendue : la connexion est refusée. Contactez l'agence opératrice.
error-no_identity_provider = Cette administration ne se connecte pas par un fournisseur d'identité : utilisez votre identifiant et votre mot de passe Ordo.
error-sign_in_expired = La connexion a expiré ou a été ouverte dans un autre navigateur. Recommencez.
error-identity_rejected = Le fournisseur d'identité n'a pas confirmé votre identité. Recommencez ; si cela persiste, contactez l'administrateur de votre administration.
error-no_role = Votre compte n'a aucun rôle dans Ordo. Demandez à l'administrateur de votre administration de vous en attribuer un.
login-oidc-title = Avec le compte de mon administration
login-oidc-intro = Si votre administration a relié Ordo à son annuaire, connectez-vous avec le même compte que pour vos autres services.
login-oidc-submit = Continuer vers mon administration
login-oidc-redirecting = Vous êtes dirigé vers le service de connexion de votre administration…
login-oidc-continue = Continuer
error-conflict = Cette valeur existe déjà.
error-payload_too_large = Le fichier ou le formulaire est trop volumineux.
error-unavailable = Le service est momentanément indisponible. Réessayez dans quelques instants : rien de ce qui a été enregistré n'est perdu.
error-internal = Une erreur inattendue est survenue. Elle a été consignée ; réessayez dans quelques instants.

field-request = Requête
field-code = Code
field-name-fr = Nom (français)
field-name-ar = Nom (arabe)
field-name-en = Nom (anglais)
field-time-zone = Fuseau horaire
field-login = Identifiant
field-password = Mot de passe
field-roles = Rôles
field-status = État
field-kind = Type

invalid-required = { $field } : ce champ est obligatoire.
invalid-too-short = { $field } : au moins { $min } caractères.
invalid-too-long = { $field } : au plus { $max } caractères.
invalid-bad-characters = { $field } : contient des caractères non autorisés.
invalid-unknown-time-zone = { $field } : fuseau horaire inconnu (exemple : Africa/Conakry).
invalid-unknown-value = { $field } : valeur inconnue.

nav-registers = Registres
registers-title = Registres du bureau d'ordre
register-last-number = dernier numéro attribué :
register-first-number = premier numéro à venir :
register-new = Nouveau courrier
register-next = Enregistrer le suivant
register-submit = Enregistrer
register-year = Registre { $year }
register-count = { $count ->
    [0] Aucun courrier enregistré.
    [one] Un courrier enregistré.
   *[other] { $count } courriers enregistrés.
}
form-has-errors = Le formulaire contient des erreurs : corrigez les champs signalés.
direction-incoming = Arrivée
direction-outgoing = Départ
direction-internal = Interne
nature-letter = Lettre
nature-request = Demande
nature-invoice = Facture
nature-note = Note
nature-circular = Circulaire
nature-decree = Décret ou arrêté
nature-report = Rapport
nature-other = Autre
channel-counter = Guichet
channel-post = Poste
channel-email = Courriel
channel-portal = Portail en ligne
channel-exchange = Échange entre administrations
priority-normal = Normale
priority-urgent = Urgente
priority-very_urgent = Très urgente
confidentiality-normal = Normale
confidentiality-confidential = Confidentiel
confidentiality-secret = Secret
status-item-draft = brouillon
status-item-registered = enregistré
status-item-cancelled = annulé
item-registered-notice = Courrier enregistré. Inscrivez ce numéro sur l'original papier.
item-registered-at = enregistré le { $at }
item-draft-title = Brouillon de courrier
actor-system = Ordo (traitement automatique)
item-timeline = Historique
action-item-registered = Enregistrement
action-item-viewed = Consultation
action-tenant-created = Création de l'administration
col-number = Numéro
col-registered = Enregistré le
field-sender = Expéditeur
field-subject = Objet
field-recipient = Destinataire
field-letter-date = Date de la lettre
field-nature = Nature
field-channel = Canal de réception
field-priority = Priorité
field-confidentiality = Confidentialité
field-keywords = Mots-clés
field-paper-location = Emplacement de l'original papier
field-number-format = Format de numérotation
field-direction = Sens
invalid-not-a-date = { $field } : date invalide (format attendu : AAAA-MM-JJ).
invalid-in-future = { $field } : la date ne peut pas être dans le futur.

field-document = Document principal (scan ou lettre)
field-attachments = Pièces jointes
register-document-hint = PDF, JPEG, PNG ou TIFF, { $max } Mo au plus par fichier.
item-documents = Documents
document-main = document principal
document-download = Télécharger
col-file = Fichier
col-size = Taille
col-fingerprint = Empreinte SHA-256
action-document-viewed = Consultation d'un document
action-document-downloaded = Téléchargement d'un document
invalid-empty-file = { $field } : le fichier est vide.
invalid-file-too-large = { $field } : le fichier dépasse { $max } Mo.
invalid-file-type-not-allowed = { $field } : seuls les PDF, JPEG, PNG et TIFF sont acceptés.
invalid-file-type-mismatch = { $field } : le contenu du fichier ne correspond pas à son type ou à son extension.

slip-title = Bordereau d'enregistrement
slip-qr = Code QR du numéro d'enregistrement
slip-back = Revenir au courrier
slip-print-hint = Imprimez cette page (Ctrl+P) et agrafez-la à l'original.
register-export-csv = Exporter en CSV
action-register-exported = Export du registre

invalid-too-many-files = { $field } : au plus { $max } fichiers par courrier.
field-idempotency-key = En-tête Idempotency-Key

nav-directory = Annuaire
draft-complete = Compléter le brouillon
drafts-title = Brouillons
drafts-left = { $count } brouillons restent à compléter dans cette pile.
drafts-none = Aucun brouillon en attente.
drafts-saved = Brouillon enregistré : il attend d'être complété.
drafts-batch = Numériser une pile de courriers
drafts-batch-hint = Jusqu'à { $count } fichiers d'un coup ({ $max } Mo au plus chacun) : chaque scan devient un brouillon à compléter.
drafts-batch-submit = Déposer les scans
drafts-batch-done = { $count ->
    [one] Un scan déposé : il attend d'être complété.
   *[other] { $count } scans déposés : ils attendent d'être complétés.
}
field-scans = Scans
col-received = Reçu le
register-save-draft = Enregistrer comme brouillon
register-and-next = Enregistrer et passer au suivant
field-received-at = Reçu le
received-at-hint = Laissez vide si le courrier arrive maintenant.
scan-label = Aperçu du scan
scan-empty = Le scan choisi s'affiche ici.
correct-title = Corriger
correct-submit = Enregistrer la correction
cancel-back = Revenir sans corriger
field-reason = Motif
field-correction = Correction
item-corrected-notice = Correction enregistrée : le courrier est à sa version { $version }.
item-version = version { $version }
item-versions = Versions
item-due = À traiter avant le
item-correct = Corriger
item-cancel = Annuler l'enregistrement
item-cancel-submit = Annuler l'enregistrement (le numéro reste attribué)
item-cancelled-because = Enregistrement annulé. Motif :
item-links = Courriers liés
field-link-kind = Lien
field-link-to = Numéro du courrier lié
link-submit = Lier
link-replies_to = Répond à
link-follows_up = Fait suite à
link-duplicate_of = Doublon de
link-replied_by = A reçu pour réponse
link-followed_by = A pour suite
link-duplicated_by = A pour doublon
action-item-drafted = Brouillon créé
action-item-corrected = Correction
action-item-cancelled = Annulation de l'enregistrement
action-item-linked = Lien ajouté
action-document-added = Document ajouté
filter-text = Rechercher (objet, expéditeur, numéro…)
filter-all = Tous
filter-submit = Filtrer
register-narrow = Seuls les { $count } plus récents sont affichés : précisez la recherche.
directory-title = Annuaire des correspondants
directory-search = Rechercher un correspondant
directory-flag = Signalement
directory-possible-duplicate = Doublon possible de
directory-add = Ajouter un correspondant
directory-classify = Classer
field-name = Nom
field-email = Courriel
field-address = Adresse
field-sender-id = Expéditeur (annuaire)
field-recipient-ids = Destinataire (annuaire)
kind-person = Personne
kind-organisation = Organisation
kind-unknown = non classé
settings-title = Paramètres du bureau d'ordre
settings-natures = Natures de courrier
settings-priorities = Priorités
settings-save = Enregistrer
settings-add = Ajouter
settings-documents = Documents
settings-documents-hint = Entre 1 et { $max } Mo.
field-processing-days = Délai de traitement (jours)
field-max-mib = Taille maximale d'un document (Mo)
field-list = Liste
field-link-kind-label = Lien
field-role = Rôle du document
field-file-name = Nom du fichier
invalid-out-of-range = { $field } : valeur attendue entre { $range }.
invalid-not-a-date-time = { $field } : date et heure invalides (format attendu : AAAA-MM-JJ HH:MM).
invalid-before-letter-date = { $field } : le courrier ne peut pas avoir été reçu avant la date de la lettre.
invalid-nothing-changed = { $field } : aucun champ n'a changé.
invalid-unknown-correspondent = { $field } : ce correspondant n'est pas dans l'annuaire.
invalid-unknown-item = { $field } : aucun courrier visible ne porte ce numéro.
invalid-too-many-recipients = { $field } : au plus { $max } destinataires, séparés par des points-virgules.
recipient-hint = Plusieurs destinataires : séparez-les par des points-virgules (;).
invalid-already-used = { $field } : déjà utilisé dans cette administration.
settings-registers = Registres
settings-registers-hint = Le format s'applique aux numéros encore à donner ; { "{year}" } est l'année, { "{seq:6}" } le numéro sur 6 chiffres.
settings-register-add = Ouvrir un registre
field-unit = Bureau d'ordre
draft-registered-notice = Courrier enregistré sous le numéro { $number } : inscrivez-le sur l'original. Voici le suivant de la pile.

login-forgot = Mot de passe oublié ?
reset-title = Nouveau mot de passe
reset-intro = Indiquez votre administration et votre identifiant : si votre compte a une adresse électronique, un lien pour choisir un nouveau mot de passe vous y est envoyé.
reset-send = Recevoir le lien
reset-sent = Si ce compte existe et a une adresse électronique, un lien vient d'y être envoyé. Il fonctionne une fois, pendant une heure.
reset-back = Revenir à la connexion
reset-again = Demander un nouveau lien
reset-submit = Enregistrer le nouveau mot de passe
reset-password-hint = Au moins 10 caractères.
reset-done = Votre mot de passe a été changé : connectez-vous avec le nouveau.
reset-mail-subject = Ordo : choisir un nouveau mot de passe
reset-mail-body = Bonjour { $name },

    Pour choisir un nouveau mot de passe Ordo ({ $administration }), ouvrez ce lien dans l'heure :
    { $link }

    Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.
field-password-confirmation = Le même, une seconde fois
field-jeton = Lien
invalid-mismatch = { $field } : les deux saisies diffèrent.
invalid-expired = { $field } : ce lien n'est plus valable (il sert une fois, pendant une heure). Demandez-en un nouveau.
action-user-password_reset_requested = Demande de nouveau mot de passe
action-user-password_reset = Mot de passe changé

settings-calendar = Calendrier de travail
settings-calendar-hint = Les délais de traitement se comptent en jours ouvrés : hors week-end et jours fériés.
settings-holiday-add = Ajouter un jour férié
settings-remove = Retirer
field-weekend = Week-end
field-day = Jour
weekend-sat-sun = samedi et dimanche
weekend-fri-sat = vendredi et samedi
weekend-fri-sun = vendredi et dimanche
weekend-sun = dimanche
weekend-fri = vendredi
welcome-mail-subject = Ordo : votre compte est prêt
welcome-mail-body = Bonjour { $name },

    Un compte Ordo vient d'être ouvert pour vous ({ $administration }), identifiant « { $login } ». Pour choisir votre mot de passe, ouvrez ce lien dans la semaine :
    { $link }
organisation-title = Organisation
organisation-units = Unités
organisation-people = Personnes
organisation-edit = Modifier
organisation-top = (au sommet)
organisation-unit-add = Ajouter une unité
organisation-person-add = Ajouter une personne
organisation-person-hint = Avec une adresse électronique, la personne reçoit un lien pour choisir son mot de passe (valable une semaine).
field-parent = Rattachée à
field-unit-of-person = Unité
field-display-name = Nom
invalid-cycle = { $field } : une unité ne peut pas être rattachée à l'une de ses propres sous-unités.
invalid-own-administrator-role = { $field } : vous ne pouvez pas retirer votre propre rôle d'administrateur.
invalid-before-registration = { $field } : l'échéance ne peut pas précéder l'enregistrement du courrier.
invalid-not-now = { $field } : cette action n'est pas possible dans l'état actuel du courrier.
invalid-outside-unit = { $field } : vous ne pouvez imputer qu'à votre unité, à ses sous-unités et à leurs agents.
invalid-named-only = { $field } : un courrier secret ne s'impute qu'à des personnes nommément désignées.
field-action = Pour traitement
field-information = Pour information
field-opinion = Pour avis
field-register = Registre
field-opinion-text = Avis
field-due-on = Échéance
field-step = Action
field-purpose = Objet de l'imputation
field-outcome = Issue
field-visibility = Visibilité
field-body = Note
field-instructions = Instructions
field-target = Destinataire
action-unit-added = Unité ajoutée
action-unit-changed = Unité modifiée
action-user-added = Personne ajoutée
action-user-changed = Personne modifiée
organisation-import = Importer un fichier CSV
import-hint = Unités : code, unité de rattachement, nom (fr), nom (ar), nom (en), type, bureau d'ordre (oui/non). Personnes : identifiant, nom, courriel, unité, rôles séparés par |. Un aperçu montre chaque ligne avant l'import.
import-kind = Contenu
import-preview = Voir l'aperçu
import-csv = Fichier CSV
import-line = Ligne
import-content = Contenu
import-line-ok = correcte
import-refused = { $count ->
    [one] Une ligne est refusée : corrigez-la puis vérifiez à nouveau. Rien n'est importé tant qu'une ligne est refusée.
   *[other] { $count } lignes sont refusées : corrigez-les puis vérifiez à nouveau. Rien n'est importé tant qu'une ligne est refusée.
}
import-ready = { $count ->
    [one] Une ligne est prête à être importée.
   *[other] { $count } lignes sont prêtes à être importées.
}
import-check-again = Vérifier à nouveau
import-confirm = Importer ({ $count })
import-done = { $count } lignes importées.
reset-back-organisation = Revenir à l'organisation
drafts-batch-nothing-kept = Aucun scan de cette pile n'a été gardé : corrigez ou retirez ce fichier, puis déposez la pile à nouveau.

# Dispatch (imputation) and processing
nav-inbox = Corbeille
inbox-title = Ma corbeille
inbox-boxes = Corbeilles
box-to_register = À enregistrer
box-to_dispatch = À imputer
box-to_process = À traiter
box-information = Pour information
box-opinion = Pour avis
box-overdue = En retard
box-unit = Mon unité
box-followed = Suivis
inbox-sort = Trier par
inbox-sort-echeance = Échéance
inbox-sort-reception = Réception
inbox-sort-numero = Numéro
inbox-received = Reçu le
inbox-dispatch = Imputation
inbox-overdue = en retard
inbox-limit = Seuls les { $limit } premiers sont affichés : précisez la recherche.
inbox-empty = Rien en attente ici.
purpose-action = Pour traitement
purpose-information = Pour information
purpose-opinion = Pour avis
dispatch-status-sent = Transmis
dispatch-status-accepted = Accepté
dispatch-status-in_progress = En cours de traitement
dispatch-status-closed = Clôturé
dispatch-status-returned = Retourné
dispatch-status-passed_on = Réimputé
dispatch-status-acknowledged = Vu
outcome-answered = Réponse faite
outcome-no_follow_up = Sans suite
outcome-filed = Classé
templates-title = Modèles d'imputation
templates-intro = Pour chaque nature de courrier, l'unité habituellement chargée du traitement et celles informées : le bureau d'ordre impute alors en un clic.
templates-saved = Modèle enregistré.
templates-none = Aucune
templates-save = Enregistrer le modèle
dispatch-title = Imputation et traitement
dispatch-sent-by = Imputé par { $name }
dispatch-passed-by = Réimputé par { $name }
dispatch-none = Ce courrier n'a pas encore été imputé.
dispatch-by-template = Imputer selon le modèle de cette nature
dispatch-submit = Imputer ce courrier
dispatch-more = Ajouter des destinataires pour information ou pour avis
dispatch-send = Imputer
dispatch-reply = Rédiger la réponse
step-accept = Accepter
step-start = Commencer le traitement
step-pass-on = Réimputer
step-close = Clôturer
step-return = Retourner
step-return-reason = Motif du retour
step-reopen = Rouvrir
step-reopen-reason = Motif de la réouverture
step-acknowledge = Marquer comme vu
step-give-opinion = Donner mon avis
follow-start = Suivre ce courrier
follow-stop = Ne plus suivre
notes-title = Annotations
notes-add = Ajouter l'annotation
visibility-private = Pour moi seul
visibility-unit = Pour mon unité
visibility-all = Pour tous ceux qui voient le courrier
reply-drafted-notice = Brouillon de réponse créé, lié au courrier reçu. Le bureau d'ordre l'enregistrera au départ.
reply-subject = Réponse : { $subject }
dispatch-mail-confidential = (courrier confidentiel : objet visible dans Ordo)
dispatch-no-due-date = sans échéance
dispatch-mail-subject = Courrier { $number } : { $purpose }
dispatch-mail-body =
    Bonjour { $name },

    Le courrier n° { $number } vous a été imputé ({ $target }) : { $purpose }.
    Objet : { $subject }
    Échéance : { $due }
    Instructions : { $instructions }

    Pour l'ouvrir : { $link }
action-item-dispatched = Imputation
action-item-passed_on = Réimputation
action-item-accepted = Acceptation
action-item-returned = Retour
action-item-started = Début du traitement
action-item-closed = Clôture
action-item-reopened = Réouverture
action-item-acknowledged = Prise de connaissance
action-item-noted = Annotation
action-item-reply_drafted = Brouillon de réponse
action-settings-dispatch_template = Modèle d'imputation modifié

# Deadlines: reminders, escalations, digests
reminder-before-subject = Rappel : le courrier { $number } arrive à échéance le { $due }
reminder-before-body =
    Bonjour { $name },

    Le courrier n° { $number } ({ $subject }), dont vous avez la charge, arrive à échéance le { $due }.

    Pour l'ouvrir : { $link }
reminder-after-subject = En retard : le courrier { $number } était attendu le { $due }
reminder-after-body =
    Bonjour { $name },

    Le courrier n° { $number } ({ $subject }), dont vous avez la charge, devait être traité le { $due } au plus tard.

    Pour l'ouvrir : { $link }
reminder-escalation-subject = Retard signalé : courrier { $number } (échéance { $due })
reminder-escalation-body =
    Bonjour { $name },

    Le courrier n° { $number } ({ $subject }), imputé dans votre unité, n'est toujours pas traité ; son échéance était le { $due }.

    Pour l'ouvrir : { $link }
digest-subject = Vos courriers en retard ou bientôt à échéance
digest-body =
    Bonjour { $name },

    Voici les courriers dont vous avez la charge, en retard ou bientôt à échéance :
    { $lines }

    Votre corbeille : { $link }
digest-line-overdue = - { $number } : { $subject } (en retard, échéance { $due })
digest-line-soon = - { $number } : { $subject } (échéance { $due })
action-item-escalated = Retard signalé au chef d'unité
field-remind-before-days = Rappel avant l'échéance (jours)
field-escalate-after-days = Signalement au chef d'unité après l'échéance (jours)
settings-reminders = Rappels et signalements
settings-reminders-help = Le responsable d'un courrier est rappelé avant l'échéance et le lendemain ; son chef d'unité est prévenu après le délai choisi. Chacun reçoit chaque matin la liste de ses courriers en retard ou bientôt à échéance.
settings-reminders-save = Enregistrer
identity-title = Fournisseur d'identité
identity-intro = Reliez Ordo à l'annuaire de votre administration (OpenID Connect) : chacun se connecte alors avec son compte habituel, et ses rôles suivent ses groupes dans l'annuaire.
identity-callback = Adresse de retour à déclarer auprès du fournisseur :
identity-saved = Fournisseur d'identité enregistré.
identity-secret-kept = Laissez vide pour garder le secret enregistré.
identity-mapping-hint = Une règle par ligne : groupe = rôle, rôle. Rôles : tenant_admin, bureau_ordre, unit_head, agent, signatory, auditor.
identity-save = Enregistrer
identity-remove = Retirer le fournisseur
field-issuer = Émetteur (issuer)
field-client-id = Identifiant du client
field-client-secret = Secret du client
field-login-claim = Attribut portant l'identifiant
field-roles-claim = Attribut portant les groupes ou rôles
field-role-mapping = Correspondance groupes → rôles
action-settings-identity_provider = Fournisseur d'identité modifié
action-settings-identity_provider_removed = Fournisseur d'identité retiré
action-settings-reminders = Rappels modifiés
stats-title = Tableau de bord
stats-scope-administration = Toute l'administration.
stats-scope-unit = Votre unité et les unités qui en dépendent.
stats-from = Du
stats-to = au
stats-export = Exporter en CSV
stats-backlog = Courriers en retard, par ancienneté du retard
stats-age = Retard
stats-count = Nombre
stats-unit = Unité
stats-overdue = En retard
stats-times = Délais de traitement
stats-times-help = Médiane / 90e centile (nombre de courriers), par unité responsable.
stats-step-registration = Réception → enregistrement
stats-step-dispatch = Enregistrement → imputation
stats-step-closing = Imputation → clôture
stats-volumes = Volumes : { $total } courriers enregistrés
stats-by-month = Par mois
stats-by-week = Par semaine (lundi)
stats-by-day = Par jour (30 derniers jours)
stats-by-channel = Par canal
stats-by-nature = Par nature
stats-by-unit = Par unité responsable
stats-table = Tableau
stats-none = Aucune donnée sur la période.
stats-not-dispatched = Non imputé
stats-days = j
stats-age-1-7 = 1 à 7 jours
stats-age-8-30 = 8 à 30 jours
stats-age-31-90 = 31 à 90 jours
stats-age-over-90 = plus de 90 jours
error-too_many_requests = Trop de demandes depuis votre connexion. Patientez quelques minutes puis réessayez : rien de ce que vous avez déjà déposé n'est perdu.
invalid-automated = { $field } : ce champ doit rester vide ; l'envoi ressemble à un envoi automatique.
optional = (facultatif)
field-filer-kind = Vous déposez en tant que
field-phone = Téléphone
field-message = Message
field-letter = Votre lettre (PDF ou photo)
field-website = Site web
filer-person = Particulier
filer-organisation = Organisation (entreprise, association, administration)
portal-title = Déposer un courrier
portal-intro = Déposez votre courrier en ligne, sans vous déplacer. Vous recevez aussitôt un récépissé de dépôt par courriel, puis l'accusé de réception officiel dès que le bureau d'ordre l'a enregistré.
portal-honeypot = Laissez ce champ vide
portal-files-hint = Au plus { $max } fichiers (PDF, JPEG, PNG ou TIFF), { $mib } Mo chacun au maximum.
portal-submit = Envoyer mon courrier
portal-uploading = Envoi en cours : { $percent } %
portal-upload-failed = L'envoi a été interrompu. Vérifiez votre connexion et renvoyez le formulaire : rien n'a été enregistré en double.
portal-track-link = Suivre un courrier déposé
portal-verify-link = Vérifier un accusé de réception
portal-file-link = Déposer un autre courrier
portal-receipt-title = Récépissé de dépôt
portal-receipt-intro = Votre courrier a bien été déposé auprès de { $administration }. Un courriel de confirmation vous a été envoyé.
portal-tracking-code = Code de suivi
portal-files-received = Fichiers reçus
portal-receipt-next = Conservez votre code de suivi. Dès l'enregistrement de votre courrier par le bureau d'ordre, vous recevrez par courriel l'accusé de réception officiel (PDF) avec son numéro d'enregistrement.
portal-track-title = Suivre mon courrier
portal-track-not-found = Aucun courrier ne correspond à ce code et à cette adresse électronique. Vérifiez le code reçu par courriel.
portal-track-submit = Voir l'avancement
portal-reply-download = Télécharger la réponse : { $name } ({ $size })
portal-verify-title = Vérifier un accusé de réception
portal-verify-not-found = Aucun accusé de réception ne porte le code { $code } dans cette administration. Ce document n'est pas authentique ou le code a été mal saisi.
portal-verify-genuine = Cet accusé de réception est authentique : il a été délivré par l'administration ci-dessous.
portal-verify-submit = Vérifier
portal-administration = Administration
portal-issued-at = Délivré le
milestone-filed = Déposé
milestone-rejected = Refusé
milestone-registered = Enregistré
milestone-sent = Transmis au service compétent
milestone-answered = Réponse envoyée
milestone-closed = Traitement terminé
filing-panel-title = Déposé en ligne
filing-filed-at = Déposé le
filing-language = Langue du déposant
filing-rejected = Dépôt refusé :
filing-reject = Refuser ce dépôt (spam, abus)
filing-reject-reason = Motif communiqué au déposant
filing-reject-submit = Refuser le dépôt
reply-publish = Transmettre la réponse enregistrée par le portail
reply-published-at = Réponse transmise par le portail le { $at }.
ack-title = Accusé de réception
ack-number = Numéro d'enregistrement
ack-registered-at = Enregistré le
ack-received-at = Reçu le
ack-sender = Expéditeur
ack-subject = Objet
ack-verification-code = Code de vérification
ack-files = Documents reçus (empreintes SHA-256)
ack-verify-hint = Pour vérifier l'authenticité de cet accusé de réception, scannez le code QR ou ouvrez l'adresse ci-dessous.
ack-issued = Accusé délivré (code { $code }) le { $at }.
ack-verify-link = Page de vérification
ack-print = Imprimer l'accusé de réception (PDF)
ack-email-label = Envoyer l'accusé à l'adresse
ack-send = Envoyer par courriel
ack-sent-notice = L'accusé de réception part par courriel.
ack-mail-subject = Accusé de réception de votre courrier n° { $number }
ack-mail-body = Bonjour,

    { $administration } a enregistré votre courrier le { $date } sous le numéro { $number }.
    Objet : { $subject }

    L'accusé de réception officiel est joint à ce message (PDF). Son authenticité se vérifie ici :
    { $verify }

    { $tracking }
ack-mail-tracking = Suivre l'avancement de votre courrier : { $link }
deposit-mail-subject = Récépissé de dépôt : { $administration }
deposit-mail-body = Bonjour { $name },
    { $confirm }

    Votre courrier a été déposé auprès de { $administration } le { $date }.
    Objet : { $subject }
    Code de suivi : { $code }

    Fichiers reçus :
    { $files }

    Vous recevrez l'accusé de réception officiel dès l'enregistrement de votre courrier. Suivre son avancement :
    { $link }
filing-rejected-mail-subject = Votre dépôt auprès de { $administration } n'a pas été retenu
filing-rejected-mail-body = Bonjour,

    Votre dépôt « { $subject } » (code de suivi { $code }) n'a pas été enregistré.
    Motif : { $reason }
reply-published-mail-subject = Une réponse de { $administration } vous attend
reply-published-mail-body = Bonjour,

    La réponse à votre courrier « { $subject } » est disponible. Téléchargez-la depuis la page de suivi, avec votre code et votre adresse électronique :
    { $link }
invalid-infected = { $field } : l'antivirus a détecté un contenu malveillant dans ce fichier ; il n'a pas été accepté.
deposit-mail-confirm = Confirmez votre adresse électronique pour que votre dépôt soit pris en compte : { $link }
portal-receipt-confirm = Dernière étape : ouvrez le lien reçu par courriel pour confirmer votre adresse. Votre dépôt ne sera traité qu'après cette confirmation.
portal-confirm-title = Confirmer mon dépôt
portal-confirm-intro = Confirmez que vous êtes bien l'auteur de ce dépôt : il sera alors transmis au bureau d'ordre.
portal-confirm-submit = Je confirme mon dépôt
portal-confirm-done = Merci : votre dépôt est confirmé et attend son enregistrement par le bureau d'ordre.
portal-confirm-unknown = Ce lien de confirmation n'est pas valable. Vérifiez que vous avez ouvert le lien complet reçu par courriel.
portal-settings-title = Portail public et accusé de réception
portal-settings-intro = Ces réglages s'appliquent à la page de dépôt en ligne de votre administration et à ses accusés de réception.
portal-settings-confirm = Demander aux déposants de confirmer leur adresse électronique avant que leur dépôt soit pris en compte
portal-settings-wording = Texte imprimé sous le titre de l'accusé de réception
portal-settings-signature = Bloc de signature (une ligne par ligne imprimée)
portal-settings-logo = Logo (PNG ou JPEG, 200 Ko au plus)
portal-settings-logo-remove = Retirer le logo actuel
portal-settings-save = Enregistrer
portal-settings-saved = Réglages enregistrés.
portal-settings-link = Voir la page de dépôt
portal-settings-sample = Aperçu d'un accusé de réception (PDF)
field-wording = Texte de l'accusé
field-signature = Bloc de signature
field-logo = Logo
invalid-file-too-large-kib = { $field } : le fichier dépasse { $max } Ko.
settings-portal-link = Portail public et accusé de réception
operator-suspend = Suspendre
operator-resume = Reprendre
operator-journal = Journal de l'opérateur
operator-journal-empty = Aucune opération pour l'instant.
operator-at = Date
operator-actor = Par
operator-action = Opération
operator-outcome = Résultat
operator-details = Détails
operator-outcome-done = effectuée
operator-outcome-refused = refusée
operator-done-suspendre = Administration suspendue : ses agents ne peuvent plus se connecter et son portail est fermé. Ses données sont conservées.
operator-done-reprendre = Administration reprise : ses agents peuvent de nouveau se connecter et son portail est rouvert.
operator-refused-unknown-administration = Aucune administration ne porte ce code.
operator-refused-already-suspended = Cette administration est déjà suspendue : rien n'a changé.
operator-refused-not-suspended = Cette administration n'est pas suspendue : rien n'a changé.
error-portal_closed = Le dépôt en ligne de cette administration est fermé pour le moment. Rien de ce qui a déjà été déposé n'est perdu ; réessayez plus tard ou adressez-vous directement à l'administration.

operator-back = Retour à la console de l'opérateur
operator-create-title = Créer une administration
operator-create-intro = Une seule action crée tout ce dont l'administration a besoin : son espace documentaire, son cachet et son certificat, son bureau d'ordre avec ses registres arrivée et départ, ses natures et délais par défaut, sa page de dépôt en ligne et son entrée dans l'annuaire. Son premier administrateur reçoit une invitation par courriel.
operator-create-identity = Identité
operator-create-working = Fonctionnement
operator-create-admin = Premier administrateur
operator-create-parent-hint = Pour un service déconcentré : le code de l'administration dont il relève (par exemple MMG).
operator-create-languages-hint = Codes séparés par des virgules : fr, ar, en.
operator-create-submit = Créer l'administration
field-level = Niveau
field-parent-body = Administration de tutelle
field-languages = Langues de travail
field-admin-name = Nom et prénom
field-admin-login = Identifiant
field-admin-email = Courriel (l'invitation y est envoyée)
level-central = administration centrale
level-decentralised = service déconcentré
operator-creation-title = Création de l'administration
operator-creation-count = { $done } étape(s) sur { $total } terminée(s).
operator-step-checking = Vérification de la demande
operator-step-document-store = Espace documentaire (versions et verrouillage)
operator-step-seal = Cachet et certificat
operator-step-records = Bureau d'ordre, registres, natures, annuaire et invitation
operator-step-state-done = terminé
operator-step-state-running = en cours…
operator-step-state-failed = échec
operator-step-state-waiting = à venir
operator-creation-done = L'administration { $code } est créée ({ $seconds } s).
operator-creation-portal = Voir sa page de dépôt en ligne
operator-invitation-waiting = Invitation du premier administrateur : en cours d'envoi.
operator-invitation-retrying = Invitation du premier administrateur : le serveur de messagerie ne répond pas ({ $attempts } essai(s)) ; elle sera renvoyée automatiquement.
operator-invitation-sent = Invitation du premier administrateur envoyée.
operator-invitation-given-up = Invitation du premier administrateur : abandonnée après plusieurs essais. Envoyez-lui un lien de mot de passe depuis la page de connexion.
operator-creation-failed-checking = La création s'est arrêtée à la vérification de la demande.
operator-creation-failed-document-store = Le serveur de stockage S3 a refusé l'espace documentaire de l'administration.
operator-creation-failed-seal = Le cachet de l'administration n'a pas pu être créé.
operator-creation-failed-records = L'enregistrement de l'administration en base de données a échoué.
operator-creation-nothing-half-done = Aucune administration à moitié créée n'est restée : rien n'est visible ni utilisable. Une fois la cause corrigée, reprenez la création : elle terminera ce qui a été commencé.
operator-creation-resume = Reprendre la création
operator-creation-running = Création en cours ; cette page se met à jour toute seule.
operator-unfinished = Créations inachevées
operator-unfinished-stopped = arrêtée, à reprendre
invalid-code-taken = { $field } : une administration porte déjà ce code.
invalid-creation-under-way = { $field } : cette administration est en cours de création. Si cette création s'est arrêtée, elle pourra être reprise deux minutes après sa dernière étape.
invalid-unknown-administration = { $field } : aucune administration ne porte ce code.
operator-deletion-request = Demander la suppression
operator-deletion-cancel = Annuler la demande de suppression
operator-deletion-requested = Suppression demandée le { $at }. Exportez ses données (ordo tenant export { $code }), puis confirmez (ordo tenant delete { $code } --confirm).
operator-done-suppression-demandee = Suppression demandée. Elle ne sera faite qu'après un export et une confirmation.
operator-done-suppression-annulee = Demande de suppression annulée : l'administration reste, suspendue.
operator-refused-not-suspended-for-deletion = Seule une administration suspendue peut être supprimée : suspendez-la d'abord.
operator-refused-deletion-already-requested = Sa suppression est déjà demandée.
operator-refused-deletion-not-requested = Aucune suppression n'est demandée pour cette administration.
operator-refused-export-first = Exportez d'abord ses données : aucun export n'a été fait depuis la demande de suppression.
operator-refused-deletion-requested = Sa suppression est demandée : annulez la demande avant de la reprendre.
error-storage_quota_exceeded = L'espace de stockage de cette administration est plein (quota de { $limit } atteint) : le document n'a pas été enregistré, et rien de ce qui l'était déjà n'est perdu. Réessayez plus tard ; l'administration doit faire augmenter son quota auprès de l'agence opératrice.
error-user_quota_exceeded = Votre administration a atteint son quota de { $limit } comptes : la personne n'a pas été ajoutée. Demandez à l'agence opératrice d'augmenter le quota.
operator-usage = Utilisation
operator-quotas = Quotas
operator-usage-storage = { $used } de documents
operator-usage-users = { $count ->
    [one] 1 compte
   *[other] { $count } comptes
}
operator-usage-active = { $count } actif(s) sur 30 jours
operator-usage-items = { $count ->
    [one] 1 courrier enregistré ce mois-ci
   *[other] { $count } courriers enregistrés ce mois-ci
}
operator-at-quota = Quota atteint
operator-usage-unmeasured = pas encore mesurée
operator-usage-note = L'utilisation est mesurée toutes les cinq minutes ; on ne voit que des totaux, jamais le contenu.
operator-usage-measure = Mesurer maintenant
operator-quota-storage = Stockage (Go)
operator-quota-users = Comptes
operator-quota-save = Enregistrer les quotas
operator-done-quotas = Quotas enregistrés. Un champ vide veut dire : sans limite.
operator-done-mesure = Utilisation mesurée à l'instant.
operator-refused-invalid-quota = Quota invalide : un nombre positif de Go (par exemple 2 ou 0,5) et un nombre entier de comptes, ou rien pour aucune limite.
invalid-low-contrast = { $field } : couleur trop claire, un texte blanc posé dessus serait difficile à lire. Choisissez une teinte plus foncée.
field-brand-colour = Couleur de l'administration
portal-settings-colour-hint = Au format #RRGGBB ; elle colore l'en-tête et les boutons de la page de dépôt. Elle doit rester assez foncée pour un texte blanc.

## Échange électronique entre administrations
exchange-title = Échange électronique
exchange-arrived = Reçu par voie électronique de { $sender }, sous son numéro { $number }, le { $at }.
exchange-arrival-to_register = À enregistrer
exchange-arrival-registered = Enregistré ; l'expéditeur a reçu notre numéro
exchange-arrival-returned = Renvoyé à l'expéditeur
exchange-return = Renvoyer à l'expéditeur
exchange-return-code = Motif
exchange-return-NotCompetent = Nous ne sommes pas compétents
exchange-return-Misaddressed = Mal adressé
exchange-return-Incomplete = Incomplet
exchange-return-reason = Explication pour l'expéditeur
exchange-return-submit = Renvoyer
exchange-sent-at = Envoi du { $at }
exchange-recipient = Destinataire
exchange-status = État
exchange-their-number = Son numéro
exchange-updated = Depuis le
exchange-status-sending = En cours d'envoi
exchange-status-accepted = Reçu, en attente d'enregistrement
exchange-status-rejected = Refusé
exchange-status-registered = Enregistré
exchange-status-returned = Renvoyé
exchange-status-read = Lu
exchange-status-not_delivered = Non remis
exchange-resend = Envoyer de nouveau
exchange-envelope = Pli signé (JSON)
exchange-receipt-json = accusé (JSON)
exchange-receipt-signature = signature (CMS)
exchange-receipt-Accepted = Accusé de réception
exchange-receipt-Rejected = Refus
exchange-receipt-Registered = Accusé d'enregistrement
exchange-receipt-Returned = Avis de renvoi
exchange-receipt-Read = Avis de lecture
exchange-receipt-NotDelivered = Avis de non-remise
exchange-send-to = Envoyer par voie électronique à
exchange-send = Envoyer le pli signé
field-recipients = Destinataires
field-reason-code = Motif du renvoi
field-documents = Documents
invalid-suspended = { $field } : cette administration est suspendue par l'agence opératrice ; elle ne reçoit pas de courrier pour l'instant.
organisation-directory = Annuaire des échanges
organisation-directory-help = Les autres administrations peuvent adresser du courrier électronique aux services cochés ; le courrier arrive dans leur propre bureau d'ordre s'ils en ont un, sinon dans le bureau d'ordre central.
organisation-directory-units = Services visibles dans l'annuaire
exchange-arrival-read = Enregistré et lu ; l'expéditeur en a été avisé
settings-mail-link = Modèles des courriels envoyés
mail-settings-title = Modèles de courriels
mail-settings-intro = Ces courriels partent au nom de votre administration, à ses couleurs et avec son logo (réglages du portail). Chacun peut être reformulé dans chaque langue ; les champs entre accolades sont remplacés à l'envoi. Pour écrire une accolade, doublez-la.
mail-settings-language = Langue du courriel
mail-settings-state = Texte
mail-settings-default = par défaut
mail-settings-custom = personnalisé le { $date }
mail-settings-edit = Modifier
mail-settings-placeholders = Champs remplacés à l'envoi
mail-settings-required = obligatoire
mail-settings-save = Enregistrer
mail-settings-reset = Revenir au texte par défaut
mail-settings-saved = Modèle enregistré : les prochains courriels l'utilisent.
mail-settings-reset-done = Texte par défaut rétabli.
mail-settings-preview = Aperçu avec des valeurs d'exemple
mail-settings-back = Tous les modèles
mail-kind-deposit = Récépissé de dépôt en ligne
mail-kind-acknowledgment = Accusé de réception
mail-kind-filing-rejected = Dépôt non retenu
mail-kind-reply-published = Réponse disponible
mail-kind-welcome = Invitation d'un nouvel utilisateur
mail-placeholder-administration = le nom de l'administration
mail-placeholder-name = le nom du destinataire
mail-placeholder-subject = l'objet du courrier
mail-placeholder-date = la date et l'heure
mail-placeholder-code = le code de suivi
mail-placeholder-files = les fichiers reçus, un par ligne
mail-placeholder-confirm = la demande de confirmation de l'adresse, avec son lien (vide si vous ne la demandez pas)
mail-placeholder-link = le lien à ouvrir
mail-placeholder-number = le numéro d'enregistrement
mail-placeholder-verify = l'adresse où vérifier l'accusé de réception
mail-placeholder-tracking = la phrase et le lien de suivi (vide sans suivi en ligne)
mail-placeholder-reason = le motif
mail-placeholder-login = l'identifiant de connexion
mail-sample-name = Mariama Sylla
mail-sample-subject = Demande de bourse
mail-sample-reason = Le dossier est incomplet.
field-mail-subject = Objet du courriel
field-mail-body = Texte du courriel
invalid-unknown-placeholder = { $field } : un champ entre accolades est inconnu ou mal fermé. Seuls ceux de la liste sont remplacés ; pour écrire une accolade, doublez-la.
invalid-missing-placeholder = { $field } : le champ { $name } doit y figurer, sans lui le destinataire ne peut pas donner suite.
exchange-rejection-Validation = Le pli n'a pas la forme attendue par la plateforme destinataire.
exchange-rejection-InvalidAddressee = Le destinataire est inconnu ou suspendu sur sa plateforme.
exchange-rejection-SizeLimit = Le pli dépasse la taille que le destinataire accepte.
exchange-rejection-UnsupportedVersion = La plateforme destinataire ne connaît pas cette version du protocole d'échange.
exchange-rejection-DigestMismatch = Un fichier reçu ne correspond pas à son empreinte.
exchange-rejection-SignatureInvalid = Le destinataire n'a pas pu vérifier le cachet de votre administration.
exchange-rejection-IdConflict = Un autre pli portant le même identifiant a déjà été reçu.
exchange-rejection-NotDelivered = Le pli n'a pas pu être remis malgré les nouvelles tentatives.
