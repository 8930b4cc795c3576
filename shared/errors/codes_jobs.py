"""Guest onboarding, generation jobs and admin codes (ERR_45xx)."""

from shared.errors import Code, Status

CODES = {
    "ERR_4501": Code(
        Status.NOT_FOUND,
        en="This job does not exist.",
        tr="Bu iş bulunamadı.",
        es="Este trabajo no existe.",
    ),
    "ERR_4502": Code(
        Status.PERMISSION_DENIED,
        en="Only a guest account can do this.",
        tr="Bunu yalnızca misafir hesabı yapabilir.",
        es="Solo una cuenta de invitado puede hacer esto.",
    ),
    "ERR_4503": Code(
        Status.INVALID_ARGUMENT,
        en="The device could not be verified.",
        tr="Cihaz doğrulanamadı.",
        es="No se pudo verificar el dispositivo.",
    ),
    "ERR_4504": Code(
        Status.INVALID_ARGUMENT,
        en="The guest account could not be verified: {reason}",
        tr="Misafir hesabı doğrulanamadı: {reason}",
        es="No se pudo verificar la cuenta de invitado: {reason}",
    ),
    "ERR_4505": Code(
        Status.ALREADY_EXISTS,
        en="This guest account was already merged into another account.",
        tr="Bu misafir hesabı zaten başka bir hesapla birleştirildi.",
        es="Esta cuenta de invitado ya se fusionó con otra cuenta.",
    ),
    "ERR_4506": Code(
        Status.NOT_FOUND,
        en="This model does not exist: {modelId}.",
        tr="Bu model mevcut değil: {modelId}.",
        es="Este modelo no existe: {modelId}.",
    ),
    "ERR_4507": Code(
        Status.FAILED_PRECONDITION,
        en="The job is still running; it can be deleted once it has finished.",
        tr="İş hâlâ çalışıyor; bittikten sonra silinebilir.",
        es="El trabajo aún está en curso; podrá eliminarse cuando termine.",
    ),
    "ERR_4508": Code(
        Status.UNAUTHENTICATED,
        en="The webhook timestamp is too old or in the future.",
        tr="Webhook zaman damgası çok eski ya da ileri bir tarihte.",
        es="La marca de tiempo del webhook es demasiado antigua o futura.",
    ),
    "ERR_4509": Code(
        Status.ABORTED,
        en="No job is known for this provider request yet; retry later.",
        tr="Bu sağlayıcı isteği için henüz bilinen bir iş yok; daha sonra tekrar deneyin.",
        es="Aún no hay un trabajo para esta solicitud del proveedor; reinténtalo más tarde.",
    ),
    "ERR_4510": Code(
        Status.INVALID_ARGUMENT,
        en="The page cursor is invalid.",
        tr="Sayfa imleci geçersiz.",
        es="El cursor de página no es válido.",
    ),
    "ERR_4512": Code(
        Status.FAILED_PRECONDITION,
        en="Sign in with a non-guest account to keep the guest account's credits.",
        tr="Misafir hesabın kredilerini korumak için misafir olmayan bir hesapla giriş yapın.",
        es="Inicia sesión con una cuenta que no sea de invitado para conservar sus créditos.",
    ),
    "ERR_4513": Code(
        Status.FAILED_PRECONDITION,
        en="This job's credits were already refunded.",
        tr="Bu işin kredileri zaten iade edildi.",
        es="Los créditos de este trabajo ya se reembolsaron.",
    ),
    "ERR_4520": Code(
        Status.FAILED_PRECONDITION,
        en="You cannot ban your own account.",
        tr="Kendi hesabınızı yasaklayamazsınız.",
        es="No puedes bloquear tu propia cuenta.",
    ),
}
