// To parse the JSON, install kotlin's serialization plugin and do:
//
// val json                        = Json { allowStructuredMapKeys = true }
// val accountDeleted              = json.parse(AccountDeleted.serializer(), jsonString)
// val acknowledgeConflicts        = json.parse(AcknowledgeConflicts.serializer(), jsonString)
// val acknowledged                = json.parse(Acknowledged.serializer(), jsonString)
// val actionDone                  = json.parse(ActionDone.serializer(), jsonString)
// val adjustCredits               = json.parse(AdjustCredits.serializer(), jsonString)
// val backfillList                = json.parse(BackfillList.serializer(), jsonString)
// val backfillRef                 = json.parse(BackfillRef.serializer(), jsonString)
// val backfillView                = json.parse(BackfillView.serializer(), jsonString)
// val banUser                     = json.parse(BanUser.serializer(), jsonString)
// val billingPortalSessionView    = json.parse(BillingPortalSessionView.serializer(), jsonString)
// val capabilitiesInput           = json.parse(CapabilitiesInput.serializer(), jsonString)
// val capabilitiesOutput          = json.parse(CapabilitiesOutput.serializer(), jsonString)
// val checkDevice                 = json.parse(CheckDevice.serializer(), jsonString)
// val checkRange                  = json.parse(CheckRange.serializer(), jsonString)
// val checkResult                 = json.parse(CheckResult.serializer(), jsonString)
// val checkSync                   = json.parse(CheckSync.serializer(), jsonString)
// val checkoutSessionView         = json.parse(CheckoutSessionView.serializer(), jsonString)
// val conflictPage                = json.parse(ConflictPage.serializer(), jsonString)
// val conflictView                = json.parse(ConflictView.serializer(), jsonString)
// val createCheckoutSession       = json.parse(CreateCheckoutSession.serializer(), jsonString)
// val createCreditsPurchaseIntent = json.parse(CreateCreditsPurchaseIntent.serializer(), jsonString)
// val createRelay                 = json.parse(CreateRelay.serializer(), jsonString)
// val creditsPurchaseIntent       = json.parse(CreditsPurchaseIntent.serializer(), jsonString)
// val deleteAccount               = json.parse(DeleteAccount.serializer(), jsonString)
// val deleted                     = json.parse(Deleted.serializer(), jsonString)
// val deletion                    = json.parse(Deletion.serializer(), jsonString)
// val deviceCheckResult           = json.parse(DeviceCheckResult.serializer(), jsonString)
// val deviceList                  = json.parse(DeviceList.serializer(), jsonString)
// val deviceRef                   = json.parse(DeviceRef.serializer(), jsonString)
// val deviceSyncStatus            = json.parse(DeviceSyncStatus.serializer(), jsonString)
// val deviceView                  = json.parse(DeviceView.serializer(), jsonString)
// val empty                       = json.parse(Empty.serializer(), jsonString)
// val entitlementStatus           = json.parse(EntitlementStatus.serializer(), jsonString)
// val entitlementView             = json.parse(EntitlementView.serializer(), jsonString)
// val entitlementsView            = json.parse(EntitlementsView.serializer(), jsonString)
// val entryChange                 = json.parse(EntryChange.serializer(), jsonString)
// val entryDelta                  = json.parse(EntryDelta.serializer(), jsonString)
// val entryOutcome                = json.parse(EntryOutcome.serializer(), jsonString)
// val entryType                   = json.parse(EntryType.serializer(), jsonString)
// val entryVersion                = json.parse(EntryVersion.serializer(), jsonString)
// val entryView                   = json.parse(EntryView.serializer(), jsonString)
// val errorCode                   = json.parse(ErrorCode.serializer(), jsonString)
// val generate                    = json.parse(Generate.serializer(), jsonString)
// val getModels                   = json.parse(GetModels.serializer(), jsonString)
// val getWallet                   = json.parse(GetWallet.serializer(), jsonString)
// val health                      = json.parse(Health.serializer(), jsonString)
// val heartbeat                   = json.parse(Heartbeat.serializer(), jsonString)
// val heartbeatAck                = json.parse(HeartbeatAck.serializer(), jsonString)
// val heartbeatSession            = json.parse(HeartbeatSession.serializer(), jsonString)
// val jobError                    = json.parse(JobError.serializer(), jsonString)
// val jobPage                     = json.parse(JobPage.serializer(), jsonString)
// val jobRef                      = json.parse(JobRef.serializer(), jsonString)
// val jobStatus                   = json.parse(JobStatus.serializer(), jsonString)
// val jobView                     = json.parse(JobView.serializer(), jsonString)
// val ledgerLine                  = json.parse(LedgerLine.serializer(), jsonString)
// val listBackfills               = json.parse(ListBackfills.serializer(), jsonString)
// val listConflicts               = json.parse(ListConflicts.serializer(), jsonString)
// val listDevices                 = json.parse(ListDevices.serializer(), jsonString)
// val listJobs                    = json.parse(ListJobs.serializer(), jsonString)
// val modelList                   = json.parse(ModelList.serializer(), jsonString)
// val modelView                   = json.parse(ModelView.serializer(), jsonString)
// val ownWriteLost                = json.parse(OwnWriteLost.serializer(), jsonString)
// val pollRelay                   = json.parse(PollRelay.serializer(), jsonString)
// val progress                    = json.parse(Progress.serializer(), jsonString)
// val pullChanges                 = json.parse(PullChanges.serializer(), jsonString)
// val pullPage                    = json.parse(PullPage.serializer(), jsonString)
// val purchaseResult              = json.parse(PurchaseResult.serializer(), jsonString)
// val pushChanges                 = json.parse(PushChanges.serializer(), jsonString)
// val pushResult                  = json.parse(PushResult.serializer(), jsonString)
// val putModel                    = json.parse(PutModel.serializer(), jsonString)
// val rangeOutcome                = json.parse(RangeOutcome.serializer(), jsonString)
// val refundJob                   = json.parse(RefundJob.serializer(), jsonString)
// val registerDevice              = json.parse(RegisterDevice.serializer(), jsonString)
// val relayBatch                  = json.parse(RelayBatch.serializer(), jsonString)
// val relayRef                    = json.parse(RelayRef.serializer(), jsonString)
// val relayRequest                = json.parse(RelayRequest.serializer(), jsonString)
// val relayView                   = json.parse(RelayView.serializer(), jsonString)
// val removed                     = json.parse(Removed.serializer(), jsonString)
// val renameDevice                = json.parse(RenameDevice.serializer(), jsonString)
// val resolveSession              = json.parse(ResolveSession.serializer(), jsonString)
// val respondRelay                = json.parse(RespondRelay.serializer(), jsonString)
// val resyncObject                = json.parse(ResyncObject.serializer(), jsonString)
// val resyncResult                = json.parse(ResyncResult.serializer(), jsonString)
// val sealed                      = json.parse(Sealed.serializer(), jsonString)
// val sessionStatus               = json.parse(SessionStatus.serializer(), jsonString)
// val sessionView                 = json.parse(SessionView.serializer(), jsonString)
// val setModelAvailability        = json.parse(SetModelAvailability.serializer(), jsonString)
// val signedOut                   = json.parse(SignedOut.serializer(), jsonString)
// val startBackfillInput          = json.parse(StartBackfillInput.serializer(), jsonString)
// val startBackfillOutput         = json.parse(StartBackfillOutput.serializer(), jsonString)
// val startSession                = json.parse(StartSession.serializer(), jsonString)
// val statusRequest               = json.parse(StatusRequest.serializer(), jsonString)
// val storeLink                   = json.parse(StoreLink.serializer(), jsonString)
// val syncEntry                   = json.parse(SyncEntry.serializer(), jsonString)
// val syncStatus                  = json.parse(SyncStatus.serializer(), jsonString)
// val upgradeGuest                = json.parse(UpgradeGuest.serializer(), jsonString)
// val upgradeResult               = json.parse(UpgradeResult.serializer(), jsonString)
// val userRef                     = json.parse(UserRef.serializer(), jsonString)
// val userStats                   = json.parse(UserStats.serializer(), jsonString)
// val verifyPurchase              = json.parse(VerifyPurchase.serializer(), jsonString)
// val versionInfo                 = json.parse(VersionInfo.serializer(), jsonString)
// val walletView                  = json.parse(WalletView.serializer(), jsonString)

package contract

import kotlinx.serialization.*
import kotlinx.serialization.json.*
import kotlinx.serialization.descriptors.*
import kotlinx.serialization.encoding.*

/**
 * The same answer however often deletion runs (stored in `deleted_accounts/{hash}`).
 */
@Serializable
data class AccountDeleted (
    val deleted: Boolean,
    val deletedAt: String,
    val removed: Map<String, Long>,
    val storeSubscriptionsToCancel: List<StoreLink>,
    val stripeCustomer: String? = null,
    val stripeSubscriptionsCanceled: List<String>
)

/**
 * An App Store or Play purchase we cannot cancel: the user cancels it in the store.
 */
@Serializable
data class StoreLink (
    val originalTransactionId: String,
    val platform: String,
    val productId: String
)

@Serializable
data class AcknowledgeConflicts (
    val conflictIds: List<String>,
    val deviceId: String
)

@Serializable
data class Acknowledged (
    val acknowledged: Long
)

/**
 * What an admin action did, and the id of its `admin_actions` record.
 */
@Serializable
data class ActionDone (
    val action: String,
    val actionId: String,
    val result: JsonObject,
    val target: String
)

@Serializable
data class AdjustCredits (
    val amount: Long,
    val idempotencyKey: String? = null,
    val reason: String,
    val uid: String
)

@Serializable
data class BackfillList (
    val backfills: List<BackfillView>
)

@Serializable
data class BackfillView (
    val backfillId: String,
    val canceledBy: String? = null,
    val completedAt: String? = null,
    val createdAt: String,
    val createdBy: String,
    val options: StartBackfillOutput,
    val progress: Map<String, Progress>,
    val slices: Long,
    val status: BackfillViewStatus,
    val updatedAt: String
)

@Serializable
data class StartBackfillOutput (
    val batchSize: Long,
    val conflictStrategy: Conflictstrategy,
    val createdFrom: String? = null,
    val createdTo: String? = null,
    val dryRun: Boolean,
    val entityTypes: List<Entitytype>
)

@Serializable
enum class Conflictstrategy(val value: String) {
    @SerialName("flag") Flag("flag"),
    @SerialName("overwrite") Overwrite("overwrite"),
    @SerialName("skip") Skip("skip");
}

@Serializable
enum class Entitytype(val value: String) {
    @SerialName("customers") Customers("customers"),
    @SerialName("invoices") Invoices("invoices"),
    @SerialName("prices") Prices("prices"),
    @SerialName("products") Products("products"),
    @SerialName("subscriptions") Subscriptions("subscriptions");
}

@Serializable
data class Progress (
    val cursor: String? = null,
    val done: Boolean,
    val failed: Long,
    val processed: Long,
    val skipped: Long,
    val succeeded: Long
)

@Serializable
enum class BackfillViewStatus(val value: String) {
    @SerialName("canceled") Canceled("canceled"),
    @SerialName("completed") Completed("completed"),
    @SerialName("running") Running("running");
}

@Serializable
data class BackfillRef (
    val backfillId: String
)

@Serializable
data class BanUser (
    val reason: String,
    val uid: String
)

@Serializable
data class BillingPortalSessionView (
    val url: String
)

@Serializable
data class CheckDevice (
    val deviceId: String,
    val deviceToken: String
)

@Serializable
data class CheckResult (
    val checkedUpTo: String? = null,
    val complete: Boolean,
    val deleted: List<EntryVersion>,
    val missing: List<String>,
    val newer: List<SyncEntry>,
    val ranges: List<RangeOutcome>
)

@Serializable
data class EntryVersion (
    val id: String,
    val version: Long
)

@Serializable
data class SyncEntry (
    val ciphertext: String? = null,
    val clock: Map<String, Long>,
    val deleted: Boolean,
    val deviceId: String,
    val id: String,
    val ownWriteLost: OwnWriteLost? = null,
    val seq: Long,
    val updatedAt: String,
    val version: Long
)

/**
 * On a pulled entry: a version this device pushed lost a conflict to this one.
 */
@Serializable
data class OwnWriteLost (
    val conflictId: String
)

@Serializable
data class RangeOutcome (
    val status: RangeOutcomeStatus,
    val upTo: String? = null
)

@Serializable
enum class RangeOutcomeStatus(val value: String) {
    @SerialName("differs") Differs("differs"),
    @SerialName("equal") Equal("equal"),
    @SerialName("listed") Listed("listed"),
    @SerialName("tooLarge") TooLarge("tooLarge");
}

@Serializable
data class CheckSync (
    val after: String? = null,
    val deviceId: String,
    val ranges: List<CheckRange>
)

/**
 * Ids after the previous range's upTo (or the request's `after`) up to `upTo` inclusive
 * (null: to the end), as a digest or as the entries held.
 */
@Serializable
data class CheckRange (
    val digest: String? = null,
    val entries: List<EntryVersion>? = null,
    val upTo: String? = null
)

@Serializable
data class CheckoutSessionView (
    val sessionId: String,
    val url: String
)

@Serializable
data class ConflictPage (
    val conflicts: List<ConflictView>,
    val nextBefore: Long? = null
)

@Serializable
data class ConflictView (
    val conflictId: String,
    val entryId: String,
    val loser: VersionInfo,
    val resolvedAt: String,
    val seq: Long,
    val winner: VersionInfo
)

/**
 * A version's metadata: which device wrote it, when (its own clock) and whether it was a
 * deletion. The ciphertext of a losing version is never kept.
 */
@Serializable
data class VersionInfo (
    val clock: Map<String, Long>,
    val deleted: Boolean,
    val deviceId: String,
    val updatedAt: String
)

@Serializable
data class CreateCheckoutSession (
    val idempotencyKey: String? = null,
    val interval: Interval,
    val plan: String
)

@Serializable
enum class Interval(val value: String) {
    @SerialName("month") Month("month"),
    @SerialName("year") Year("year");
}

@Serializable
data class CreateCreditsPurchaseIntent (
    val idempotencyKey: String,
    val packId: String
)

@Serializable
data class CreateRelay (
    val ciphertext: String,
    val mac: String,
    val nonce: String,
    val sourceDeviceId: String,
    val targetDeviceId: String,
    val ttlSeconds: Long? = null
)

@Serializable
data class CreditsPurchaseIntent (
    val amount: Long,
    val clientSecret: String,
    val credits: Long,
    val currency: String,
    val customerId: String,
    val packId: String,
    val paymentIntentId: String,
    val publishableKey: String
)

/**
 * The caller deletes their own account; `confirm` must be true.
 */
@Serializable
data class DeleteAccount (
    val confirm: Boolean
)

@Serializable
data class Deleted (
    val deleted: Boolean,
    val jobId: String
)

@Serializable
data class DeviceCheckResult (
    val balance: Long,
    val creditsGranted: Long,
    val grant: Grant,
    val uid: String
)

@Serializable
enum class Grant(val value: String) {
    @SerialName("already_granted") AlreadyGranted("already_granted"),
    @SerialName("device_claimed") DeviceClaimed("device_claimed"),
    @SerialName("granted") Granted("granted");
}

@Serializable
data class DeviceList (
    val devices: List<DeviceView>
)

@Serializable
data class DeviceView (
    val capabilities: CapabilitiesOutput,
    val deviceId: String,
    val lastPullAt: String? = null,
    val lastPullCursor: Long? = null,
    val lastSeenAt: String? = null,
    val name: String,
    val online: Boolean,
    val platform: String,
    val pushEnabled: Boolean,
    val registeredAt: String,
    val signedInAt: String? = null
)

/**
 * What a device can do for the user's other devices.
 */
@Serializable
data class CapabilitiesOutput (
    val canRunInference: Boolean,
    val models: List<String>
)

@Serializable
data class DeviceRef (
    val deviceId: String
)

/**
 * A request that takes no arguments.
 */
@Serializable
class Empty()

/**
 * get_entitlements: every add-on of the caller, and the account token to attach to
 * purchases (StoreKit appAccountToken, Play obfuscatedAccountId).
 */
@Serializable
data class EntitlementsView (
    val appAccountToken: String,
    val entitlements: List<EntitlementView>
)

/**
 * One add-on as the app sees it; `active` is the same check as `is_entitled`.
 */
@Serializable
data class EntitlementView (
    val active: Boolean,
    val addOn: String,
    val autoRenew: Boolean,
    val environment: String,
    val expiresAt: String? = null,
    val familyShared: Boolean,
    val graceExpiresAt: String? = null,
    val pendingProductId: String? = null,
    val platform: String,
    val productId: String,
    val status: EntitlementStatus,
    val tier: String? = null
)

@Serializable
enum class EntitlementStatus(val value: String) {
    @SerialName("active") Active("active"),
    @SerialName("billing_retry") BillingRetry("billing_retry"),
    @SerialName("expired") Expired("expired"),
    @SerialName("grace_period") GracePeriod("grace_period"),
    @SerialName("paused") Paused("paused"),
    @SerialName("refunded") Refunded("refunded"),
    @SerialName("revoked") Revoked("revoked"),
    @SerialName("superseded") Superseded("superseded"),
    @SerialName("transferred") Transferred("transferred");
}

@Serializable
enum class ErrorCode(val value: String) {
    @SerialName("ERR_4000") Err4000("ERR_4000"),
    @SerialName("ERR_4001") Err4001("ERR_4001"),
    @SerialName("ERR_4002") Err4002("ERR_4002"),
    @SerialName("ERR_4003") Err4003("ERR_4003"),
    @SerialName("ERR_4004") Err4004("ERR_4004"),
    @SerialName("ERR_4010") Err4010("ERR_4010"),
    @SerialName("ERR_4011") Err4011("ERR_4011"),
    @SerialName("ERR_4012") Err4012("ERR_4012"),
    @SerialName("ERR_4013") Err4013("ERR_4013"),
    @SerialName("ERR_4014") Err4014("ERR_4014"),
    @SerialName("ERR_4015") Err4015("ERR_4015"),
    @SerialName("ERR_4017") Err4017("ERR_4017"),
    @SerialName("ERR_4018") Err4018("ERR_4018"),
    @SerialName("ERR_4019") Err4019("ERR_4019"),
    @SerialName("ERR_4020") Err4020("ERR_4020"),
    @SerialName("ERR_4030") Err4030("ERR_4030"),
    @SerialName("ERR_4031") Err4031("ERR_4031"),
    @SerialName("ERR_4032") Err4032("ERR_4032"),
    @SerialName("ERR_4033") Err4033("ERR_4033"),
    @SerialName("ERR_4034") Err4034("ERR_4034"),
    @SerialName("ERR_4101") Err4101("ERR_4101"),
    @SerialName("ERR_4102") Err4102("ERR_4102"),
    @SerialName("ERR_4103") Err4103("ERR_4103"),
    @SerialName("ERR_4104") Err4104("ERR_4104"),
    @SerialName("ERR_4105") Err4105("ERR_4105"),
    @SerialName("ERR_4106") Err4106("ERR_4106"),
    @SerialName("ERR_4107") Err4107("ERR_4107"),
    @SerialName("ERR_4108") Err4108("ERR_4108"),
    @SerialName("ERR_4201") Err4201("ERR_4201"),
    @SerialName("ERR_4202") Err4202("ERR_4202"),
    @SerialName("ERR_4203") Err4203("ERR_4203"),
    @SerialName("ERR_4204") Err4204("ERR_4204"),
    @SerialName("ERR_4205") Err4205("ERR_4205"),
    @SerialName("ERR_4206") Err4206("ERR_4206"),
    @SerialName("ERR_4207") Err4207("ERR_4207"),
    @SerialName("ERR_4208") Err4208("ERR_4208"),
    @SerialName("ERR_4209") Err4209("ERR_4209"),
    @SerialName("ERR_4210") Err4210("ERR_4210"),
    @SerialName("ERR_4211") Err4211("ERR_4211"),
    @SerialName("ERR_4212") Err4212("ERR_4212"),
    @SerialName("ERR_4213") Err4213("ERR_4213"),
    @SerialName("ERR_4300") Err4300("ERR_4300"),
    @SerialName("ERR_4301") Err4301("ERR_4301"),
    @SerialName("ERR_4302") Err4302("ERR_4302"),
    @SerialName("ERR_4303") Err4303("ERR_4303"),
    @SerialName("ERR_4304") Err4304("ERR_4304"),
    @SerialName("ERR_4305") Err4305("ERR_4305"),
    @SerialName("ERR_4306") Err4306("ERR_4306"),
    @SerialName("ERR_4307") Err4307("ERR_4307"),
    @SerialName("ERR_4308") Err4308("ERR_4308"),
    @SerialName("ERR_4309") Err4309("ERR_4309"),
    @SerialName("ERR_4310") Err4310("ERR_4310"),
    @SerialName("ERR_4311") Err4311("ERR_4311"),
    @SerialName("ERR_4312") Err4312("ERR_4312"),
    @SerialName("ERR_4400") Err4400("ERR_4400"),
    @SerialName("ERR_4401") Err4401("ERR_4401"),
    @SerialName("ERR_4402") Err4402("ERR_4402"),
    @SerialName("ERR_4403") Err4403("ERR_4403"),
    @SerialName("ERR_4404") Err4404("ERR_4404"),
    @SerialName("ERR_4405") Err4405("ERR_4405"),
    @SerialName("ERR_4406") Err4406("ERR_4406"),
    @SerialName("ERR_4407") Err4407("ERR_4407"),
    @SerialName("ERR_4410") Err4410("ERR_4410"),
    @SerialName("ERR_4411") Err4411("ERR_4411"),
    @SerialName("ERR_4412") Err4412("ERR_4412"),
    @SerialName("ERR_4420") Err4420("ERR_4420"),
    @SerialName("ERR_4421") Err4421("ERR_4421"),
    @SerialName("ERR_4422") Err4422("ERR_4422"),
    @SerialName("ERR_4423") Err4423("ERR_4423"),
    @SerialName("ERR_4424") Err4424("ERR_4424"),
    @SerialName("ERR_4425") Err4425("ERR_4425"),
    @SerialName("ERR_4426") Err4426("ERR_4426"),
    @SerialName("ERR_4427") Err4427("ERR_4427"),
    @SerialName("ERR_4501") Err4501("ERR_4501"),
    @SerialName("ERR_4502") Err4502("ERR_4502"),
    @SerialName("ERR_4503") Err4503("ERR_4503"),
    @SerialName("ERR_4504") Err4504("ERR_4504"),
    @SerialName("ERR_4505") Err4505("ERR_4505"),
    @SerialName("ERR_4506") Err4506("ERR_4506"),
    @SerialName("ERR_4507") Err4507("ERR_4507"),
    @SerialName("ERR_4508") Err4508("ERR_4508"),
    @SerialName("ERR_4509") Err4509("ERR_4509"),
    @SerialName("ERR_4510") Err4510("ERR_4510"),
    @SerialName("ERR_4512") Err4512("ERR_4512"),
    @SerialName("ERR_4513") Err4513("ERR_4513"),
    @SerialName("ERR_4520") Err4520("ERR_4520"),
    @SerialName("ERR_4600") Err4600("ERR_4600"),
    @SerialName("ERR_4601") Err4601("ERR_4601"),
    @SerialName("ERR_4602") Err4602("ERR_4602"),
    @SerialName("ERR_4603") Err4603("ERR_4603"),
    @SerialName("ERR_5001") Err5001("ERR_5001"),
    @SerialName("ERR_5002") Err5002("ERR_5002"),
    @SerialName("ERR_5003") Err5003("ERR_5003"),
    @SerialName("ERR_5101") Err5101("ERR_5101"),
    @SerialName("ERR_5102") Err5102("ERR_5102"),
    @SerialName("ERR_5103") Err5103("ERR_5103"),
    @SerialName("ERR_5104") Err5104("ERR_5104"),
    @SerialName("ERR_5201") Err5201("ERR_5201"),
    @SerialName("ERR_5202") Err5202("ERR_5202"),
    @SerialName("ERR_5203") Err5203("ERR_5203"),
    @SerialName("ERR_5204") Err5204("ERR_5204"),
    @SerialName("ERR_6001") Err6001("ERR_6001"),
    @SerialName("ERR_6002") Err6002("ERR_6002"),
    @SerialName("ERR_6003") Err6003("ERR_6003");
}

@Serializable
data class Generate (
    val idempotencyKey: String? = null,
    val modelId: String,
    val options: Map<String, Option>? = null,
    val prompt: String
)

@Serializable
sealed class Option {
    class BoolValue(val value: Boolean)  : Option()
    class DoubleValue(val value: Double) : Option()
    class IntegerValue(val value: Long)  : Option()
    class StringValue(val value: String) : Option()
}

@Serializable
data class GetModels (
    val ifNoneMatch: String? = null
)

@Serializable
data class GetWallet (
    val cursor: String? = null,
    val limit: Long? = null
)

@Serializable
data class Health (
    val time: String,
    val uid: String,
    val version: String
)

@Serializable
data class Heartbeat (
    val capabilities: CapabilitiesInput? = null,
    val deviceId: String
)

/**
 * What a device can do for the user's other devices.
 */
@Serializable
data class CapabilitiesInput (
    val canRunInference: Boolean? = null,
    val models: List<String>? = null
)

@Serializable
data class HeartbeatAck (
    val deviceId: String,
    val lastSeenAt: String,
    val online: Boolean
)

@Serializable
data class HeartbeatSession (
    val sessionId: String
)

@Serializable
data class JobPage (
    val jobs: List<JobView>,
    val nextCursor: String? = null
)

@Serializable
data class JobView (
    val cost: Long,
    val createdAt: String,
    val error: JobError? = null,
    val finishedAt: String? = null,
    val jobId: String,
    val modelId: String,
    val prompt: String? = null,
    val refunded: Boolean,
    val resultUrls: List<String>,
    val status: JobStatus,
    val updatedAt: String
)

@Serializable
data class JobError (
    val code: String,
    val message: String
)

@Serializable
enum class JobStatus(val value: String) {
    @SerialName("completed") Completed("completed"),
    @SerialName("failed") Failed("failed"),
    @SerialName("queued") Queued("queued"),
    @SerialName("running") Running("running"),
    @SerialName("submitting") Submitting("submitting");
}

@Serializable
data class JobRef (
    val jobId: String
)

@Serializable
data class ListBackfills (
    val limit: Long? = null
)

@Serializable
data class ListConflicts (
    val before: Long? = null,
    val deviceId: String,
    val entryId: String? = null,
    val limit: Long? = null
)

@Serializable
data class ListDevices (
    val canRunInference: Boolean? = null,
    val onlineOnly: Boolean? = null
)

@Serializable
data class ListJobs (
    val cursor: String? = null,
    val limit: Long? = null
)

@Serializable
data class ModelList (
    val etag: String,
    val models: List<ModelView>? = null,
    val notModified: Boolean
)

@Serializable
data class ModelView (
    val cost: Long,
    val featured: Boolean,
    val modelId: String,
    val name: String,
    val provider: String
)

@Serializable
data class PollRelay (
    val deviceId: String,
    val limit: Long? = null
)

@Serializable
data class PullChanges (
    val cursor: Long? = null,
    val deviceId: String,
    val limit: Long? = null
)

/**
 * A page of changes. With `reset: true` the cursor could not be continued and this is the
 * first page of a full listing: keep paging, then drop every synced entry it did not list
 * (`drop: "unlisted"`).
 */
@Serializable
data class PullPage (
    val drop: Drop? = null,
    val entries: List<SyncEntry>,
    val hasMore: Boolean,
    val nextCursor: Long,
    val reset: Boolean,
    val resetReason: Resetreason? = null
)

@Serializable
enum class Drop(val value: String) {
    @SerialName("unlisted") Unlisted("unlisted");
}

@Serializable
enum class Resetreason(val value: String) {
    @SerialName("purged") Purged("purged"),
    @SerialName("unknown_cursor") UnknownCursor("unknown_cursor");
}

/**
 * verify_purchase: what the purchase granted (idempotent: a repeat grants nothing more).
 */
@Serializable
data class PurchaseResult (
    val alreadyApplied: Boolean,
    val creditsAdded: Long,
    val entitlement: EntitlementView? = null,
    val kind: Kind,
    val platform: String,
    val productId: String,
    val refreshToken: Boolean,
    val transactionId: String
)

@Serializable
enum class Kind(val value: String) {
    @SerialName("add_on") AddOn("add_on"),
    @SerialName("credits") Credits("credits");
}

@Serializable
data class PushChanges (
    val deletedIds: List<Deletion>? = null,
    val deviceId: String,
    val entries: List<EntryChange>? = null
)

/**
 * A deletion: a tombstone with its own clock, resolved like any other version.
 */
@Serializable
data class Deletion (
    val clock: Map<String, Long>,
    val id: String,
    val updatedAt: String
)

/**
 * A new version of an entry: base64 ciphertext, its vector clock and the client's time.
 */
@Serializable
data class EntryChange (
    val ciphertext: String,
    val clock: Map<String, Long>,
    val id: String,
    val updatedAt: String
)

@Serializable
data class PushResult (
    val lastSeq: Long,
    val results: List<EntryOutcome>
)

/**
 * What happened to one pushed entry; `seq`, `version` and `clock` are the stored ones.
 */
@Serializable
data class EntryOutcome (
    val clock: Map<String, Long>,
    val duplicate: Boolean,
    val id: String,
    val seq: Long,
    val status: EntryOutcomeStatus,
    val version: Long,
    val winner: Winner? = null
)

@Serializable
enum class EntryOutcomeStatus(val value: String) {
    @SerialName("accepted") Accepted("accepted"),
    @SerialName("conflict") Conflict("conflict"),
    @SerialName("stale") Stale("stale");
}

@Serializable
enum class Winner(val value: String) {
    @SerialName("incoming") Incoming("incoming"),
    @SerialName("stored") Stored("stored");
}

@Serializable
data class PutModel (
    val allowedOptions: List<String>? = null,
    val available: Boolean? = null,
    val cost: Long,
    val featured: Boolean? = null,
    val modelId: String,
    val name: String,
    val provider: String? = null,
    val providerModelId: String,
    val reason: String
)

@Serializable
data class RefundJob (
    val jobId: String,
    val reason: String
)

@Serializable
data class RegisterDevice (
    val capabilities: CapabilitiesInput? = null,
    val deviceId: String,
    val fcmToken: String? = null,
    val name: String,
    val platform: String
)

@Serializable
data class RelayBatch (
    val requests: List<RelayRequest>
)

/**
 * A request as the target device receives it.
 */
@Serializable
data class RelayRequest (
    val ciphertext: String,
    val createdAt: String,
    val expiresAt: String,
    val mac: String,
    val nonce: String,
    val relayId: String,
    val sourceDeviceId: String
)

@Serializable
data class RelayRef (
    val deviceId: String,
    val relayId: String
)

@Serializable
data class RelayView (
    val createdAt: String,
    val expiresAt: String,
    val relayId: String,
    val response: Sealed? = null,
    val sourceDeviceId: String,
    val status: RelayViewStatus,
    val targetDeviceId: String
)

/**
 * An encrypted message: AEAD ciphertext, its nonce and tag, each base64.
 */
@Serializable
data class Sealed (
    val ciphertext: String,
    val mac: String,
    val nonce: String
)

@Serializable
enum class RelayViewStatus(val value: String) {
    @SerialName("done") Done("done"),
    @SerialName("expired") Expired("expired"),
    @SerialName("pending") Pending("pending"),
    @SerialName("processing") Processing("processing");
}

@Serializable
data class Removed (
    val deviceId: String,
    val removed: Boolean
)

@Serializable
data class RenameDevice (
    val deviceId: String,
    val name: String
)

@Serializable
data class ResolveSession (
    val idempotencyKey: String? = null,
    val outcome: Outcome,
    val reason: String? = null,
    val sessionId: String
)

@Serializable
enum class Outcome(val value: String) {
    @SerialName("FAILURE") Failure("FAILURE"),
    @SerialName("SUCCESS") Success("SUCCESS");
}

@Serializable
data class RespondRelay (
    val ciphertext: String,
    val deviceId: String,
    val mac: String,
    val nonce: String,
    val relayId: String
)

/**
 * Stripe: id is sub_/pi_/cus_. App Store: id is an original transaction id. Play: id is
 * a purchase token (productId optional once the purchase is bound).
 */
@Serializable
data class ResyncObject (
    val id: String,
    val livemode: Boolean? = null,
    val productId: String? = null,
    val source: Source
)

@Serializable
enum class Source(val value: String) {
    @SerialName("app_store") AppStore("app_store"),
    @SerialName("play_store") PlayStore("play_store"),
    @SerialName("stripe") Stripe("stripe");
}

@Serializable
data class ResyncResult (
    val id: String,
    val outcomes: Map<String, String>,
    val source: Source
)

@Serializable
data class SessionView (
    val ashGranted: Long,
    val durationMinutes: Long,
    val expiresAt: String,
    val frozenVotes: Long,
    val lastHeartbeatAt: String,
    val outcome: Outcome? = null,
    val pledge: Long,
    val reason: String? = null,
    val redemptionExpiresAt: String? = null,
    val replayed: Boolean,
    val resolvedAt: String? = null,
    val sessionId: String,
    val startedAt: String,
    val status: SessionStatus
)

@Serializable
enum class SessionStatus(val value: String) {
    @SerialName("ACTIVE") Active("ACTIVE"),
    @SerialName("COMPLETED") Completed("COMPLETED"),
    @SerialName("FAILED") Failed("FAILED");
}

@Serializable
data class SetModelAvailability (
    val available: Boolean,
    val modelId: String,
    val reason: String
)

/**
 * Every ID token issued before `tokens_valid_after` is refused from now on.
 */
@Serializable
data class SignedOut (
    val tokensValidAfter: String
)

@Serializable
data class StartBackfillInput (
    val batchSize: Long? = null,
    val conflictStrategy: Conflictstrategy? = null,
    val createdFrom: String? = null,
    val createdTo: String? = null,
    val dryRun: Boolean? = null,
    val entityTypes: List<Entitytype>? = null
)

@Serializable
data class StartSession (
    val durationMinutes: Long,
    val idempotencyKey: String? = null,
    val pledge: Long
)

@Serializable
data class StatusRequest (
    val deviceId: String
)

@Serializable
data class SyncStatus (
    val conflictCount: Long,
    val devices: List<DeviceSyncStatus>,
    val entryCount: Long,
    val lastSeq: Long,
    val purgeHorizon: Long,
    val tombstoneCount: Long
)

@Serializable
data class DeviceSyncStatus (
    val deviceId: String,
    val lastPullAt: String? = null,
    val lastPullCursor: Long? = null,
    val lastPushAt: String? = null,
    val name: String,
    val online: Boolean
)

@Serializable
data class UpgradeGuest (
    val guestIdToken: String
)

@Serializable
data class UpgradeResult (
    val balance: Long,
    val creditsMoved: Long,
    val jobsMoved: Long,
    val mergedFrom: String,
    val uid: String
)

@Serializable
data class UserRef (
    val uid: String
)

@Serializable
data class UserStats (
    val available: Long,
    val banned: Boolean,
    val credits: Long,
    val exists: Boolean,
    val jobsByStatus: Map<String, Long>,
    val jobsCounted: Long,
    val recentLedger: List<LedgerLine>,
    val successRate: Double? = null,
    val uid: String
)

@Serializable
data class LedgerLine (
    val amount: Long,
    val createdAt: String,
    val id: String,
    val reason: String? = null,
    val type: String
)

/**
 * A purchase the app reports. App Store: exactly one of signedTransaction (StoreKit 2,
 * optionally with signedRenewalInfo), transactionId, or receipt (StoreKit 1, optionally
 * with
 * productId). Google Play: purchaseToken and productId.
 */
@Serializable
data class VerifyPurchase (
    val packageName: String? = null,
    val platform: Platform,
    val productId: String? = null,
    val purchaseToken: String? = null,
    val receipt: String? = null,
    val signedRenewalInfo: String? = null,
    val signedTransaction: String? = null,
    val transactionId: String? = null
)

@Serializable
enum class Platform(val value: String) {
    @SerialName("app_store") AppStore("app_store"),
    @SerialName("play_store") PlayStore("play_store");
}

@Serializable
data class WalletView (
    val ash: Long,
    val available: Long,
    val credits: Long,
    val debt: Long,
    val entries: List<EntryView>,
    val locked: Long,
    val nextCursor: String? = null
)

@Serializable
data class EntryView (
    val amount: Long,
    val createdAt: String,
    val currency: String,
    val delta: EntryDelta,
    val id: String,
    val reason: String? = null,
    val refs: Map<String, String>,
    val type: EntryType
)

@Serializable
data class EntryDelta (
    val ash: Long,
    val credits: Long,
    val debt: Long,
    val locked: Long
)

@Serializable
enum class EntryType(val value: String) {
    @SerialName("admin_adjustment") AdminAdjustment("admin_adjustment"),
    @SerialName("ash_grant") AshGrant("ash_grant"),
    @SerialName("credits_burn") CreditsBurn("credits_burn"),
    @SerialName("credits_clawback") CreditsClawback("credits_clawback"),
    @SerialName("credits_grant") CreditsGrant("credits_grant"),
    @SerialName("credits_lock") CreditsLock("credits_lock"),
    @SerialName("credits_purchase") CreditsPurchase("credits_purchase"),
    @SerialName("credits_refund") CreditsRefund("credits_refund"),
    @SerialName("credits_spend") CreditsSpend("credits_spend"),
    @SerialName("credits_spend_refund") CreditsSpendRefund("credits_spend_refund");
}

