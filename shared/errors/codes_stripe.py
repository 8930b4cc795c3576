"""Stripe codes: packs, subscriptions, webhooks and backfills (43xx); Stripe itself (52xx)."""

from shared.errors import Code, Status

CODES = {
    "ERR_4300": Code(
        Status.INVALID_ARGUMENT,
        en="Unknown credit pack: {packId}.",
        tr="Bilinmeyen kredi paketi: {packId}.",
        es="Paquete de créditos desconocido: {packId}.",
    ),
    "ERR_4301": Code(
        Status.INVALID_ARGUMENT,
        en="Unknown subscription plan: {plan} ({interval}).",
        tr="Bilinmeyen abonelik planı: {plan} ({interval}).",
        es="Plan de suscripción desconocido: {plan} ({interval}).",
    ),
    "ERR_4302": Code(
        Status.UNAUTHENTICATED,
        en="The Stripe signature is invalid.",
        tr="Stripe imzası geçersiz.",
        es="La firma de Stripe no es válida.",
    ),
    "ERR_4303": Code(
        Status.UNAUTHENTICATED,
        en="The Stripe signature timestamp is outside the tolerance of {tolerance} seconds.",
        tr="Stripe imza zaman damgası {tolerance} saniyelik toleransın dışında.",
        es="La marca de tiempo de la firma de Stripe está fuera de la tolerancia de {tolerance} s.",
    ),
    "ERR_4304": Code(
        Status.FAILED_PRECONDITION,
        en="The payment does not match its credit pack: {reason}.",
        tr="Ödeme, kredi paketiyle eşleşmiyor: {reason}.",
        es="El pago no coincide con su paquete de créditos: {reason}.",
    ),
    "ERR_4305": Code(
        Status.PERMISSION_DENIED,
        en="This Stripe customer belongs to another user.",
        tr="Bu Stripe müşterisi başka bir kullanıcıya ait.",
        es="Este cliente de Stripe pertenece a otro usuario.",
    ),
    "ERR_4306": Code(
        Status.FAILED_PRECONDITION,
        en="You have no Stripe billing account yet.",
        tr="Henüz bir Stripe fatura hesabınız yok.",
        es="Todavía no tienes una cuenta de facturación de Stripe.",
    ),
    "ERR_4307": Code(
        Status.INVALID_ARGUMENT,
        en="The Stripe event is malformed: {reason}.",
        tr="Stripe olayı hatalı: {reason}.",
        es="El evento de Stripe no es válido: {reason}.",
    ),
    "ERR_4308": Code(
        Status.INVALID_ARGUMENT,
        en="The payment is missing its {field}.",
        tr="Ödemede {field} eksik.",
        es="Al pago le falta {field}.",
    ),
    "ERR_4309": Code(
        Status.NOT_FOUND,
        en="Backfill {backfillId} not found.",
        tr="{backfillId} geri doldurma işlemi bulunamadı.",
        es="No se encontró el relleno {backfillId}.",
    ),
    "ERR_4310": Code(
        Status.FAILED_PRECONDITION,
        en="Backfill {backfillId} is already {status}.",
        tr="{backfillId} geri doldurma işlemi zaten {status} durumunda.",
        es="El relleno {backfillId} ya está en estado {status}.",
    ),
    "ERR_4311": Code(
        Status.INVALID_ARGUMENT,
        en="The Stripe customer {customer} has no firebaseUID and matches no user.",
        tr="{customer} Stripe müşterisinin firebaseUID değeri yok, hiçbir kullanıcıyla eşleşmiyor.",
        es="El cliente de Stripe {customer} no tiene firebaseUID ni coincide con ningún usuario.",
    ),
    "ERR_4312": Code(
        Status.FAILED_PRECONDITION,
        en="You already have an active subscription to {plan}.",
        tr="{plan} için zaten etkin bir aboneliğiniz var.",
        es="Ya tienes una suscripción activa a {plan}.",
    ),
    "ERR_5201": Code(
        Status.UNAVAILABLE,
        en="Stripe is unavailable right now. Try again later.",
        tr="Stripe şu anda kullanılamıyor. Daha sonra tekrar deneyin.",
        es="Stripe no está disponible en este momento. Inténtalo más tarde.",
    ),
    "ERR_5202": Code(
        Status.FAILED_PRECONDITION,
        en="Stripe refused the request: {reason}",
        tr="Stripe isteği reddetti: {reason}",
        es="Stripe rechazó la solicitud: {reason}",
    ),
    "ERR_5203": Code(
        Status.INTERNAL,
        en="The Stripe account is misconfigured.",
        tr="Stripe hesabı yanlış yapılandırılmış.",
        es="La cuenta de Stripe está mal configurada.",
    ),
    "ERR_5204": Code(
        Status.RESOURCE_EXHAUSTED,
        en="Stripe is rate limiting us. Try again shortly.",
        tr="Stripe istekleri sınırlıyor. Birazdan tekrar deneyin.",
        es="Stripe está limitando las solicitudes. Inténtalo en breve.",
    ),
}
