// This file was generated from JSON Schema using quicktype, do not modify it directly.
// To parse the JSON, add this file to your project and do:
//
//   let accountDeleted = try AccountDeleted(json)
//   let acknowledgeConflicts = try AcknowledgeConflicts(json)
//   let acknowledged = try Acknowledged(json)
//   let actionDone = try ActionDone(json)
//   let adjustCredits = try AdjustCredits(json)
//   let backfillList = try BackfillList(json)
//   let backfillRef = try BackfillRef(json)
//   let backfillView = try BackfillView(json)
//   let banUser = try BanUser(json)
//   let billingPortalSessionView = try BillingPortalSessionView(json)
//   let capabilitiesInput = try CapabilitiesInput(json)
//   let capabilitiesOutput = try CapabilitiesOutput(json)
//   let checkDevice = try CheckDevice(json)
//   let checkRange = try CheckRange(json)
//   let checkResult = try CheckResult(json)
//   let checkSync = try CheckSync(json)
//   let checkoutSessionView = try CheckoutSessionView(json)
//   let conflictPage = try ConflictPage(json)
//   let conflictView = try ConflictView(json)
//   let createCheckoutSession = try CreateCheckoutSession(json)
//   let createCreditsPurchaseIntent = try CreateCreditsPurchaseIntent(json)
//   let createRelay = try CreateRelay(json)
//   let creditsPurchaseIntent = try CreditsPurchaseIntent(json)
//   let deleteAccount = try DeleteAccount(json)
//   let deleted = try Deleted(json)
//   let deletion = try Deletion(json)
//   let deviceCheckResult = try DeviceCheckResult(json)
//   let deviceList = try DeviceList(json)
//   let deviceRef = try DeviceRef(json)
//   let deviceSyncStatus = try DeviceSyncStatus(json)
//   let deviceView = try DeviceView(json)
//   let empty = try Empty(json)
//   let entitlementStatus = try? JSONDecoder().decode(EntitlementStatus.self, from: jsonData)
//   let entitlementView = try EntitlementView(json)
//   let entitlementsView = try EntitlementsView(json)
//   let entryChange = try EntryChange(json)
//   let entryDelta = try EntryDelta(json)
//   let entryOutcome = try EntryOutcome(json)
//   let entryType = try? JSONDecoder().decode(EntryType.self, from: jsonData)
//   let entryVersion = try EntryVersion(json)
//   let entryView = try EntryView(json)
//   let errorCode = try? JSONDecoder().decode(ErrorCode.self, from: jsonData)
//   let generate = try Generate(json)
//   let getModels = try GetModels(json)
//   let getWallet = try GetWallet(json)
//   let health = try Health(json)
//   let heartbeat = try Heartbeat(json)
//   let heartbeatAck = try HeartbeatAck(json)
//   let heartbeatSession = try HeartbeatSession(json)
//   let jobError = try JobError(json)
//   let jobPage = try JobPage(json)
//   let jobRef = try JobRef(json)
//   let jobStatus = try? JSONDecoder().decode(JobStatus.self, from: jsonData)
//   let jobView = try JobView(json)
//   let ledgerLine = try LedgerLine(json)
//   let listBackfills = try ListBackfills(json)
//   let listConflicts = try ListConflicts(json)
//   let listDevices = try ListDevices(json)
//   let listJobs = try ListJobs(json)
//   let modelList = try ModelList(json)
//   let modelView = try ModelView(json)
//   let ownWriteLost = try OwnWriteLost(json)
//   let pollRelay = try PollRelay(json)
//   let progress = try Progress(json)
//   let pullChanges = try PullChanges(json)
//   let pullPage = try PullPage(json)
//   let purchaseResult = try PurchaseResult(json)
//   let pushChanges = try PushChanges(json)
//   let pushResult = try PushResult(json)
//   let putModel = try PutModel(json)
//   let rangeOutcome = try RangeOutcome(json)
//   let refundJob = try RefundJob(json)
//   let registerDevice = try RegisterDevice(json)
//   let relayBatch = try RelayBatch(json)
//   let relayRef = try RelayRef(json)
//   let relayRequest = try RelayRequest(json)
//   let relayView = try RelayView(json)
//   let removed = try Removed(json)
//   let renameDevice = try RenameDevice(json)
//   let resolveSession = try ResolveSession(json)
//   let respondRelay = try RespondRelay(json)
//   let resyncObject = try ResyncObject(json)
//   let resyncResult = try ResyncResult(json)
//   let sealed = try Sealed(json)
//   let sessionStatus = try? JSONDecoder().decode(SessionStatus.self, from: jsonData)
//   let sessionView = try SessionView(json)
//   let setModelAvailability = try SetModelAvailability(json)
//   let signedOut = try SignedOut(json)
//   let startBackfillInput = try StartBackfillInput(json)
//   let startBackfillOutput = try StartBackfillOutput(json)
//   let startSession = try StartSession(json)
//   let statusRequest = try StatusRequest(json)
//   let storeLink = try StoreLink(json)
//   let syncEntry = try SyncEntry(json)
//   let syncStatus = try SyncStatus(json)
//   let upgradeGuest = try UpgradeGuest(json)
//   let upgradeResult = try UpgradeResult(json)
//   let userRef = try UserRef(json)
//   let userStats = try UserStats(json)
//   let verifyPurchase = try VerifyPurchase(json)
//   let versionInfo = try VersionInfo(json)
//   let walletView = try WalletView(json)

import Foundation

/// The same answer however often deletion runs (stored in `deleted_accounts/{hash}`).
// MARK: - AccountDeleted
public struct AccountDeleted: Codable {
    public let deleted: Bool
    public let deletedAt: String
    public let removed: [String: Int]
    public let storeSubscriptionsToCancel: [StoreLink]
    public let stripeCustomer: String?
    public let stripeSubscriptionsCanceled: [String]

    public enum CodingKeys: String, CodingKey {
        case deleted = "deleted"
        case deletedAt = "deletedAt"
        case removed = "removed"
        case storeSubscriptionsToCancel = "storeSubscriptionsToCancel"
        case stripeCustomer = "stripeCustomer"
        case stripeSubscriptionsCanceled = "stripeSubscriptionsCanceled"
    }

    public init(deleted: Bool, deletedAt: String, removed: [String: Int], storeSubscriptionsToCancel: [StoreLink], stripeCustomer: String?, stripeSubscriptionsCanceled: [String]) {
        self.deleted = deleted
        self.deletedAt = deletedAt
        self.removed = removed
        self.storeSubscriptionsToCancel = storeSubscriptionsToCancel
        self.stripeCustomer = stripeCustomer
        self.stripeSubscriptionsCanceled = stripeSubscriptionsCanceled
    }
}

// MARK: AccountDeleted convenience initializers and mutators

public extension AccountDeleted {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(AccountDeleted.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        deleted: Bool? = nil,
        deletedAt: String? = nil,
        removed: [String: Int]? = nil,
        storeSubscriptionsToCancel: [StoreLink]? = nil,
        stripeCustomer: String?? = nil,
        stripeSubscriptionsCanceled: [String]? = nil
    ) -> AccountDeleted {
        return AccountDeleted(
            deleted: deleted ?? self.deleted,
            deletedAt: deletedAt ?? self.deletedAt,
            removed: removed ?? self.removed,
            storeSubscriptionsToCancel: storeSubscriptionsToCancel ?? self.storeSubscriptionsToCancel,
            stripeCustomer: stripeCustomer ?? self.stripeCustomer,
            stripeSubscriptionsCanceled: stripeSubscriptionsCanceled ?? self.stripeSubscriptionsCanceled
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// An App Store or Play purchase we cannot cancel: the user cancels it in the store.
// MARK: - StoreLink
public struct StoreLink: Codable {
    public let originalTransactionId: String
    public let platform: String
    public let productId: String

    public enum CodingKeys: String, CodingKey {
        case originalTransactionId = "originalTransactionId"
        case platform = "platform"
        case productId = "productId"
    }

    public init(originalTransactionId: String, platform: String, productId: String) {
        self.originalTransactionId = originalTransactionId
        self.platform = platform
        self.productId = productId
    }
}

// MARK: StoreLink convenience initializers and mutators

public extension StoreLink {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(StoreLink.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        originalTransactionId: String? = nil,
        platform: String? = nil,
        productId: String? = nil
    ) -> StoreLink {
        return StoreLink(
            originalTransactionId: originalTransactionId ?? self.originalTransactionId,
            platform: platform ?? self.platform,
            productId: productId ?? self.productId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - AcknowledgeConflicts
public struct AcknowledgeConflicts: Codable {
    public let conflictIds: [String]
    public let deviceId: String

    public enum CodingKeys: String, CodingKey {
        case conflictIds = "conflictIds"
        case deviceId = "deviceId"
    }

    public init(conflictIds: [String], deviceId: String) {
        self.conflictIds = conflictIds
        self.deviceId = deviceId
    }
}

// MARK: AcknowledgeConflicts convenience initializers and mutators

public extension AcknowledgeConflicts {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(AcknowledgeConflicts.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        conflictIds: [String]? = nil,
        deviceId: String? = nil
    ) -> AcknowledgeConflicts {
        return AcknowledgeConflicts(
            conflictIds: conflictIds ?? self.conflictIds,
            deviceId: deviceId ?? self.deviceId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - Acknowledged
public struct Acknowledged: Codable {
    public let acknowledged: Int

    public enum CodingKeys: String, CodingKey {
        case acknowledged = "acknowledged"
    }

    public init(acknowledged: Int) {
        self.acknowledged = acknowledged
    }
}

// MARK: Acknowledged convenience initializers and mutators

public extension Acknowledged {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(Acknowledged.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        acknowledged: Int? = nil
    ) -> Acknowledged {
        return Acknowledged(
            acknowledged: acknowledged ?? self.acknowledged
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// What an admin action did, and the id of its `admin_actions` record.
// MARK: - ActionDone
public struct ActionDone: Codable {
    public let action: String
    public let actionId: String
    public let result: [String: JSONAny]
    public let target: String

    public enum CodingKeys: String, CodingKey {
        case action = "action"
        case actionId = "actionId"
        case result = "result"
        case target = "target"
    }

    public init(action: String, actionId: String, result: [String: JSONAny], target: String) {
        self.action = action
        self.actionId = actionId
        self.result = result
        self.target = target
    }
}

// MARK: ActionDone convenience initializers and mutators

public extension ActionDone {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(ActionDone.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        action: String? = nil,
        actionId: String? = nil,
        result: [String: JSONAny]? = nil,
        target: String? = nil
    ) -> ActionDone {
        return ActionDone(
            action: action ?? self.action,
            actionId: actionId ?? self.actionId,
            result: result ?? self.result,
            target: target ?? self.target
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - AdjustCredits
public struct AdjustCredits: Codable {
    public let amount: Int
    public let idempotencyKey: String?
    public let reason: String
    public let uid: String

    public enum CodingKeys: String, CodingKey {
        case amount = "amount"
        case idempotencyKey = "idempotencyKey"
        case reason = "reason"
        case uid = "uid"
    }

    public init(amount: Int, idempotencyKey: String?, reason: String, uid: String) {
        self.amount = amount
        self.idempotencyKey = idempotencyKey
        self.reason = reason
        self.uid = uid
    }
}

// MARK: AdjustCredits convenience initializers and mutators

public extension AdjustCredits {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(AdjustCredits.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        amount: Int? = nil,
        idempotencyKey: String?? = nil,
        reason: String? = nil,
        uid: String? = nil
    ) -> AdjustCredits {
        return AdjustCredits(
            amount: amount ?? self.amount,
            idempotencyKey: idempotencyKey ?? self.idempotencyKey,
            reason: reason ?? self.reason,
            uid: uid ?? self.uid
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - BackfillList
public struct BackfillList: Codable {
    public let backfills: [BackfillView]

    public enum CodingKeys: String, CodingKey {
        case backfills = "backfills"
    }

    public init(backfills: [BackfillView]) {
        self.backfills = backfills
    }
}

// MARK: BackfillList convenience initializers and mutators

public extension BackfillList {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(BackfillList.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        backfills: [BackfillView]? = nil
    ) -> BackfillList {
        return BackfillList(
            backfills: backfills ?? self.backfills
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - BackfillView
public struct BackfillView: Codable {
    public let backfillId: String
    public let canceledBy: String?
    public let completedAt: String?
    public let createdAt: String
    public let createdBy: String
    public let options: StartBackfillOutput
    public let progress: [String: Progress]
    public let slices: Int
    public let status: BackfillViewStatus
    public let updatedAt: String

    public enum CodingKeys: String, CodingKey {
        case backfillId = "backfillId"
        case canceledBy = "canceledBy"
        case completedAt = "completedAt"
        case createdAt = "createdAt"
        case createdBy = "createdBy"
        case options = "options"
        case progress = "progress"
        case slices = "slices"
        case status = "status"
        case updatedAt = "updatedAt"
    }

    public init(backfillId: String, canceledBy: String?, completedAt: String?, createdAt: String, createdBy: String, options: StartBackfillOutput, progress: [String: Progress], slices: Int, status: BackfillViewStatus, updatedAt: String) {
        self.backfillId = backfillId
        self.canceledBy = canceledBy
        self.completedAt = completedAt
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.options = options
        self.progress = progress
        self.slices = slices
        self.status = status
        self.updatedAt = updatedAt
    }
}

// MARK: BackfillView convenience initializers and mutators

public extension BackfillView {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(BackfillView.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        backfillId: String? = nil,
        canceledBy: String?? = nil,
        completedAt: String?? = nil,
        createdAt: String? = nil,
        createdBy: String? = nil,
        options: StartBackfillOutput? = nil,
        progress: [String: Progress]? = nil,
        slices: Int? = nil,
        status: BackfillViewStatus? = nil,
        updatedAt: String? = nil
    ) -> BackfillView {
        return BackfillView(
            backfillId: backfillId ?? self.backfillId,
            canceledBy: canceledBy ?? self.canceledBy,
            completedAt: completedAt ?? self.completedAt,
            createdAt: createdAt ?? self.createdAt,
            createdBy: createdBy ?? self.createdBy,
            options: options ?? self.options,
            progress: progress ?? self.progress,
            slices: slices ?? self.slices,
            status: status ?? self.status,
            updatedAt: updatedAt ?? self.updatedAt
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - StartBackfillOutput
public struct StartBackfillOutput: Codable {
    public let batchSize: Int
    public let conflictStrategy: Conflictstrategy
    public let createdFrom: String?
    public let createdTo: String?
    public let dryRun: Bool
    public let entityTypes: [Entitytype]

    public enum CodingKeys: String, CodingKey {
        case batchSize = "batchSize"
        case conflictStrategy = "conflictStrategy"
        case createdFrom = "createdFrom"
        case createdTo = "createdTo"
        case dryRun = "dryRun"
        case entityTypes = "entityTypes"
    }

    public init(batchSize: Int, conflictStrategy: Conflictstrategy, createdFrom: String?, createdTo: String?, dryRun: Bool, entityTypes: [Entitytype]) {
        self.batchSize = batchSize
        self.conflictStrategy = conflictStrategy
        self.createdFrom = createdFrom
        self.createdTo = createdTo
        self.dryRun = dryRun
        self.entityTypes = entityTypes
    }
}

// MARK: StartBackfillOutput convenience initializers and mutators

public extension StartBackfillOutput {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(StartBackfillOutput.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        batchSize: Int? = nil,
        conflictStrategy: Conflictstrategy? = nil,
        createdFrom: String?? = nil,
        createdTo: String?? = nil,
        dryRun: Bool? = nil,
        entityTypes: [Entitytype]? = nil
    ) -> StartBackfillOutput {
        return StartBackfillOutput(
            batchSize: batchSize ?? self.batchSize,
            conflictStrategy: conflictStrategy ?? self.conflictStrategy,
            createdFrom: createdFrom ?? self.createdFrom,
            createdTo: createdTo ?? self.createdTo,
            dryRun: dryRun ?? self.dryRun,
            entityTypes: entityTypes ?? self.entityTypes
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

public enum Conflictstrategy: String, Codable {
    case flag = "flag"
    case overwrite = "overwrite"
    case skip = "skip"
}

public enum Entitytype: String, Codable {
    case customers = "customers"
    case invoices = "invoices"
    case prices = "prices"
    case products = "products"
    case subscriptions = "subscriptions"
}

// MARK: - Progress
public struct Progress: Codable {
    public let cursor: String?
    public let done: Bool
    public let failed: Int
    public let processed: Int
    public let skipped: Int
    public let succeeded: Int

    public enum CodingKeys: String, CodingKey {
        case cursor = "cursor"
        case done = "done"
        case failed = "failed"
        case processed = "processed"
        case skipped = "skipped"
        case succeeded = "succeeded"
    }

    public init(cursor: String?, done: Bool, failed: Int, processed: Int, skipped: Int, succeeded: Int) {
        self.cursor = cursor
        self.done = done
        self.failed = failed
        self.processed = processed
        self.skipped = skipped
        self.succeeded = succeeded
    }
}

// MARK: Progress convenience initializers and mutators

public extension Progress {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(Progress.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        cursor: String?? = nil,
        done: Bool? = nil,
        failed: Int? = nil,
        processed: Int? = nil,
        skipped: Int? = nil,
        succeeded: Int? = nil
    ) -> Progress {
        return Progress(
            cursor: cursor ?? self.cursor,
            done: done ?? self.done,
            failed: failed ?? self.failed,
            processed: processed ?? self.processed,
            skipped: skipped ?? self.skipped,
            succeeded: succeeded ?? self.succeeded
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

public enum BackfillViewStatus: String, Codable {
    case canceled = "canceled"
    case completed = "completed"
    case running = "running"
}

// MARK: - BackfillRef
public struct BackfillRef: Codable {
    public let backfillId: String

    public enum CodingKeys: String, CodingKey {
        case backfillId = "backfillId"
    }

    public init(backfillId: String) {
        self.backfillId = backfillId
    }
}

// MARK: BackfillRef convenience initializers and mutators

public extension BackfillRef {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(BackfillRef.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        backfillId: String? = nil
    ) -> BackfillRef {
        return BackfillRef(
            backfillId: backfillId ?? self.backfillId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - BanUser
public struct BanUser: Codable {
    public let reason: String
    public let uid: String

    public enum CodingKeys: String, CodingKey {
        case reason = "reason"
        case uid = "uid"
    }

    public init(reason: String, uid: String) {
        self.reason = reason
        self.uid = uid
    }
}

// MARK: BanUser convenience initializers and mutators

public extension BanUser {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(BanUser.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        reason: String? = nil,
        uid: String? = nil
    ) -> BanUser {
        return BanUser(
            reason: reason ?? self.reason,
            uid: uid ?? self.uid
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - BillingPortalSessionView
public struct BillingPortalSessionView: Codable {
    public let url: String

    public enum CodingKeys: String, CodingKey {
        case url = "url"
    }

    public init(url: String) {
        self.url = url
    }
}

// MARK: BillingPortalSessionView convenience initializers and mutators

public extension BillingPortalSessionView {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(BillingPortalSessionView.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        url: String? = nil
    ) -> BillingPortalSessionView {
        return BillingPortalSessionView(
            url: url ?? self.url
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - CheckDevice
public struct CheckDevice: Codable {
    public let deviceId: String
    public let deviceToken: String

    public enum CodingKeys: String, CodingKey {
        case deviceId = "deviceId"
        case deviceToken = "deviceToken"
    }

    public init(deviceId: String, deviceToken: String) {
        self.deviceId = deviceId
        self.deviceToken = deviceToken
    }
}

// MARK: CheckDevice convenience initializers and mutators

public extension CheckDevice {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(CheckDevice.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        deviceId: String? = nil,
        deviceToken: String? = nil
    ) -> CheckDevice {
        return CheckDevice(
            deviceId: deviceId ?? self.deviceId,
            deviceToken: deviceToken ?? self.deviceToken
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - CheckResult
public struct CheckResult: Codable {
    public let checkedUpTo: String?
    public let complete: Bool
    public let deleted: [EntryVersion]
    public let missing: [String]
    public let newer: [SyncEntry]
    public let ranges: [RangeOutcome]

    public enum CodingKeys: String, CodingKey {
        case checkedUpTo = "checkedUpTo"
        case complete = "complete"
        case deleted = "deleted"
        case missing = "missing"
        case newer = "newer"
        case ranges = "ranges"
    }

    public init(checkedUpTo: String?, complete: Bool, deleted: [EntryVersion], missing: [String], newer: [SyncEntry], ranges: [RangeOutcome]) {
        self.checkedUpTo = checkedUpTo
        self.complete = complete
        self.deleted = deleted
        self.missing = missing
        self.newer = newer
        self.ranges = ranges
    }
}

// MARK: CheckResult convenience initializers and mutators

public extension CheckResult {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(CheckResult.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        checkedUpTo: String?? = nil,
        complete: Bool? = nil,
        deleted: [EntryVersion]? = nil,
        missing: [String]? = nil,
        newer: [SyncEntry]? = nil,
        ranges: [RangeOutcome]? = nil
    ) -> CheckResult {
        return CheckResult(
            checkedUpTo: checkedUpTo ?? self.checkedUpTo,
            complete: complete ?? self.complete,
            deleted: deleted ?? self.deleted,
            missing: missing ?? self.missing,
            newer: newer ?? self.newer,
            ranges: ranges ?? self.ranges
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - EntryVersion
public struct EntryVersion: Codable {
    public let id: String
    public let version: Int

    public enum CodingKeys: String, CodingKey {
        case id = "id"
        case version = "version"
    }

    public init(id: String, version: Int) {
        self.id = id
        self.version = version
    }
}

// MARK: EntryVersion convenience initializers and mutators

public extension EntryVersion {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(EntryVersion.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        id: String? = nil,
        version: Int? = nil
    ) -> EntryVersion {
        return EntryVersion(
            id: id ?? self.id,
            version: version ?? self.version
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - SyncEntry
public struct SyncEntry: Codable {
    public let ciphertext: String?
    public let clock: [String: Int]
    public let deleted: Bool
    public let deviceId: String
    public let id: String
    public let ownWriteLost: OwnWriteLost?
    public let seq: Int
    public let updatedAt: String
    public let version: Int

    public enum CodingKeys: String, CodingKey {
        case ciphertext = "ciphertext"
        case clock = "clock"
        case deleted = "deleted"
        case deviceId = "deviceId"
        case id = "id"
        case ownWriteLost = "ownWriteLost"
        case seq = "seq"
        case updatedAt = "updatedAt"
        case version = "version"
    }

    public init(ciphertext: String?, clock: [String: Int], deleted: Bool, deviceId: String, id: String, ownWriteLost: OwnWriteLost?, seq: Int, updatedAt: String, version: Int) {
        self.ciphertext = ciphertext
        self.clock = clock
        self.deleted = deleted
        self.deviceId = deviceId
        self.id = id
        self.ownWriteLost = ownWriteLost
        self.seq = seq
        self.updatedAt = updatedAt
        self.version = version
    }
}

// MARK: SyncEntry convenience initializers and mutators

public extension SyncEntry {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(SyncEntry.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        ciphertext: String?? = nil,
        clock: [String: Int]? = nil,
        deleted: Bool? = nil,
        deviceId: String? = nil,
        id: String? = nil,
        ownWriteLost: OwnWriteLost?? = nil,
        seq: Int? = nil,
        updatedAt: String? = nil,
        version: Int? = nil
    ) -> SyncEntry {
        return SyncEntry(
            ciphertext: ciphertext ?? self.ciphertext,
            clock: clock ?? self.clock,
            deleted: deleted ?? self.deleted,
            deviceId: deviceId ?? self.deviceId,
            id: id ?? self.id,
            ownWriteLost: ownWriteLost ?? self.ownWriteLost,
            seq: seq ?? self.seq,
            updatedAt: updatedAt ?? self.updatedAt,
            version: version ?? self.version
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// On a pulled entry: a version this device pushed lost a conflict to this one.
// MARK: - OwnWriteLost
public struct OwnWriteLost: Codable {
    public let conflictId: String

    public enum CodingKeys: String, CodingKey {
        case conflictId = "conflictId"
    }

    public init(conflictId: String) {
        self.conflictId = conflictId
    }
}

// MARK: OwnWriteLost convenience initializers and mutators

public extension OwnWriteLost {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(OwnWriteLost.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        conflictId: String? = nil
    ) -> OwnWriteLost {
        return OwnWriteLost(
            conflictId: conflictId ?? self.conflictId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - RangeOutcome
public struct RangeOutcome: Codable {
    public let status: RangeOutcomeStatus
    public let upTo: String?

    public enum CodingKeys: String, CodingKey {
        case status = "status"
        case upTo = "upTo"
    }

    public init(status: RangeOutcomeStatus, upTo: String?) {
        self.status = status
        self.upTo = upTo
    }
}

// MARK: RangeOutcome convenience initializers and mutators

public extension RangeOutcome {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(RangeOutcome.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        status: RangeOutcomeStatus? = nil,
        upTo: String?? = nil
    ) -> RangeOutcome {
        return RangeOutcome(
            status: status ?? self.status,
            upTo: upTo ?? self.upTo
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

public enum RangeOutcomeStatus: String, Codable {
    case differs = "differs"
    case equal = "equal"
    case listed = "listed"
    case tooLarge = "tooLarge"
}

// MARK: - CheckSync
public struct CheckSync: Codable {
    public let after: String?
    public let deviceId: String
    public let ranges: [CheckRange]

    public enum CodingKeys: String, CodingKey {
        case after = "after"
        case deviceId = "deviceId"
        case ranges = "ranges"
    }

    public init(after: String?, deviceId: String, ranges: [CheckRange]) {
        self.after = after
        self.deviceId = deviceId
        self.ranges = ranges
    }
}

// MARK: CheckSync convenience initializers and mutators

public extension CheckSync {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(CheckSync.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        after: String?? = nil,
        deviceId: String? = nil,
        ranges: [CheckRange]? = nil
    ) -> CheckSync {
        return CheckSync(
            after: after ?? self.after,
            deviceId: deviceId ?? self.deviceId,
            ranges: ranges ?? self.ranges
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// Ids after the previous range's upTo (or the request's `after`) up to `upTo` inclusive
/// (null: to the end), as a digest or as the entries held.
// MARK: - CheckRange
public struct CheckRange: Codable {
    public let digest: String?
    public let entries: [EntryVersion]?
    public let upTo: String?

    public enum CodingKeys: String, CodingKey {
        case digest = "digest"
        case entries = "entries"
        case upTo = "upTo"
    }

    public init(digest: String?, entries: [EntryVersion]?, upTo: String?) {
        self.digest = digest
        self.entries = entries
        self.upTo = upTo
    }
}

// MARK: CheckRange convenience initializers and mutators

public extension CheckRange {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(CheckRange.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        digest: String?? = nil,
        entries: [EntryVersion]?? = nil,
        upTo: String?? = nil
    ) -> CheckRange {
        return CheckRange(
            digest: digest ?? self.digest,
            entries: entries ?? self.entries,
            upTo: upTo ?? self.upTo
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - CheckoutSessionView
public struct CheckoutSessionView: Codable {
    public let sessionId: String
    public let url: String

    public enum CodingKeys: String, CodingKey {
        case sessionId = "sessionId"
        case url = "url"
    }

    public init(sessionId: String, url: String) {
        self.sessionId = sessionId
        self.url = url
    }
}

// MARK: CheckoutSessionView convenience initializers and mutators

public extension CheckoutSessionView {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(CheckoutSessionView.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        sessionId: String? = nil,
        url: String? = nil
    ) -> CheckoutSessionView {
        return CheckoutSessionView(
            sessionId: sessionId ?? self.sessionId,
            url: url ?? self.url
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - ConflictPage
public struct ConflictPage: Codable {
    public let conflicts: [ConflictView]
    public let nextBefore: Int?

    public enum CodingKeys: String, CodingKey {
        case conflicts = "conflicts"
        case nextBefore = "nextBefore"
    }

    public init(conflicts: [ConflictView], nextBefore: Int?) {
        self.conflicts = conflicts
        self.nextBefore = nextBefore
    }
}

// MARK: ConflictPage convenience initializers and mutators

public extension ConflictPage {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(ConflictPage.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        conflicts: [ConflictView]? = nil,
        nextBefore: Int?? = nil
    ) -> ConflictPage {
        return ConflictPage(
            conflicts: conflicts ?? self.conflicts,
            nextBefore: nextBefore ?? self.nextBefore
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - ConflictView
public struct ConflictView: Codable {
    public let conflictId: String
    public let entryId: String
    public let loser: VersionInfo
    public let resolvedAt: String
    public let seq: Int
    public let winner: VersionInfo

    public enum CodingKeys: String, CodingKey {
        case conflictId = "conflictId"
        case entryId = "entryId"
        case loser = "loser"
        case resolvedAt = "resolvedAt"
        case seq = "seq"
        case winner = "winner"
    }

    public init(conflictId: String, entryId: String, loser: VersionInfo, resolvedAt: String, seq: Int, winner: VersionInfo) {
        self.conflictId = conflictId
        self.entryId = entryId
        self.loser = loser
        self.resolvedAt = resolvedAt
        self.seq = seq
        self.winner = winner
    }
}

// MARK: ConflictView convenience initializers and mutators

public extension ConflictView {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(ConflictView.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        conflictId: String? = nil,
        entryId: String? = nil,
        loser: VersionInfo? = nil,
        resolvedAt: String? = nil,
        seq: Int? = nil,
        winner: VersionInfo? = nil
    ) -> ConflictView {
        return ConflictView(
            conflictId: conflictId ?? self.conflictId,
            entryId: entryId ?? self.entryId,
            loser: loser ?? self.loser,
            resolvedAt: resolvedAt ?? self.resolvedAt,
            seq: seq ?? self.seq,
            winner: winner ?? self.winner
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// A version's metadata: which device wrote it, when (its own clock) and whether it was a
/// deletion. The ciphertext of a losing version is never kept.
// MARK: - VersionInfo
public struct VersionInfo: Codable {
    public let clock: [String: Int]
    public let deleted: Bool
    public let deviceId: String
    public let updatedAt: String

    public enum CodingKeys: String, CodingKey {
        case clock = "clock"
        case deleted = "deleted"
        case deviceId = "deviceId"
        case updatedAt = "updatedAt"
    }

    public init(clock: [String: Int], deleted: Bool, deviceId: String, updatedAt: String) {
        self.clock = clock
        self.deleted = deleted
        self.deviceId = deviceId
        self.updatedAt = updatedAt
    }
}

// MARK: VersionInfo convenience initializers and mutators

public extension VersionInfo {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(VersionInfo.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        clock: [String: Int]? = nil,
        deleted: Bool? = nil,
        deviceId: String? = nil,
        updatedAt: String? = nil
    ) -> VersionInfo {
        return VersionInfo(
            clock: clock ?? self.clock,
            deleted: deleted ?? self.deleted,
            deviceId: deviceId ?? self.deviceId,
            updatedAt: updatedAt ?? self.updatedAt
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - CreateCheckoutSession
public struct CreateCheckoutSession: Codable {
    public let idempotencyKey: String?
    public let interval: Interval
    public let plan: String

    public enum CodingKeys: String, CodingKey {
        case idempotencyKey = "idempotencyKey"
        case interval = "interval"
        case plan = "plan"
    }

    public init(idempotencyKey: String?, interval: Interval, plan: String) {
        self.idempotencyKey = idempotencyKey
        self.interval = interval
        self.plan = plan
    }
}

// MARK: CreateCheckoutSession convenience initializers and mutators

public extension CreateCheckoutSession {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(CreateCheckoutSession.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        idempotencyKey: String?? = nil,
        interval: Interval? = nil,
        plan: String? = nil
    ) -> CreateCheckoutSession {
        return CreateCheckoutSession(
            idempotencyKey: idempotencyKey ?? self.idempotencyKey,
            interval: interval ?? self.interval,
            plan: plan ?? self.plan
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

public enum Interval: String, Codable {
    case month = "month"
    case year = "year"
}

// MARK: - CreateCreditsPurchaseIntent
public struct CreateCreditsPurchaseIntent: Codable {
    public let idempotencyKey: String
    public let packId: String

    public enum CodingKeys: String, CodingKey {
        case idempotencyKey = "idempotencyKey"
        case packId = "packId"
    }

    public init(idempotencyKey: String, packId: String) {
        self.idempotencyKey = idempotencyKey
        self.packId = packId
    }
}

// MARK: CreateCreditsPurchaseIntent convenience initializers and mutators

public extension CreateCreditsPurchaseIntent {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(CreateCreditsPurchaseIntent.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        idempotencyKey: String? = nil,
        packId: String? = nil
    ) -> CreateCreditsPurchaseIntent {
        return CreateCreditsPurchaseIntent(
            idempotencyKey: idempotencyKey ?? self.idempotencyKey,
            packId: packId ?? self.packId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - CreateRelay
public struct CreateRelay: Codable {
    public let ciphertext: String
    public let mac: String
    public let nonce: String
    public let sourceDeviceId: String
    public let targetDeviceId: String
    public let ttlSeconds: Int?

    public enum CodingKeys: String, CodingKey {
        case ciphertext = "ciphertext"
        case mac = "mac"
        case nonce = "nonce"
        case sourceDeviceId = "sourceDeviceId"
        case targetDeviceId = "targetDeviceId"
        case ttlSeconds = "ttlSeconds"
    }

    public init(ciphertext: String, mac: String, nonce: String, sourceDeviceId: String, targetDeviceId: String, ttlSeconds: Int?) {
        self.ciphertext = ciphertext
        self.mac = mac
        self.nonce = nonce
        self.sourceDeviceId = sourceDeviceId
        self.targetDeviceId = targetDeviceId
        self.ttlSeconds = ttlSeconds
    }
}

// MARK: CreateRelay convenience initializers and mutators

public extension CreateRelay {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(CreateRelay.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        ciphertext: String? = nil,
        mac: String? = nil,
        nonce: String? = nil,
        sourceDeviceId: String? = nil,
        targetDeviceId: String? = nil,
        ttlSeconds: Int?? = nil
    ) -> CreateRelay {
        return CreateRelay(
            ciphertext: ciphertext ?? self.ciphertext,
            mac: mac ?? self.mac,
            nonce: nonce ?? self.nonce,
            sourceDeviceId: sourceDeviceId ?? self.sourceDeviceId,
            targetDeviceId: targetDeviceId ?? self.targetDeviceId,
            ttlSeconds: ttlSeconds ?? self.ttlSeconds
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - CreditsPurchaseIntent
public struct CreditsPurchaseIntent: Codable {
    public let amount: Int
    public let clientSecret: String
    public let credits: Int
    public let currency: String
    public let customerId: String
    public let packId: String
    public let paymentIntentId: String
    public let publishableKey: String

    public enum CodingKeys: String, CodingKey {
        case amount = "amount"
        case clientSecret = "clientSecret"
        case credits = "credits"
        case currency = "currency"
        case customerId = "customerId"
        case packId = "packId"
        case paymentIntentId = "paymentIntentId"
        case publishableKey = "publishableKey"
    }

    public init(amount: Int, clientSecret: String, credits: Int, currency: String, customerId: String, packId: String, paymentIntentId: String, publishableKey: String) {
        self.amount = amount
        self.clientSecret = clientSecret
        self.credits = credits
        self.currency = currency
        self.customerId = customerId
        self.packId = packId
        self.paymentIntentId = paymentIntentId
        self.publishableKey = publishableKey
    }
}

// MARK: CreditsPurchaseIntent convenience initializers and mutators

public extension CreditsPurchaseIntent {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(CreditsPurchaseIntent.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        amount: Int? = nil,
        clientSecret: String? = nil,
        credits: Int? = nil,
        currency: String? = nil,
        customerId: String? = nil,
        packId: String? = nil,
        paymentIntentId: String? = nil,
        publishableKey: String? = nil
    ) -> CreditsPurchaseIntent {
        return CreditsPurchaseIntent(
            amount: amount ?? self.amount,
            clientSecret: clientSecret ?? self.clientSecret,
            credits: credits ?? self.credits,
            currency: currency ?? self.currency,
            customerId: customerId ?? self.customerId,
            packId: packId ?? self.packId,
            paymentIntentId: paymentIntentId ?? self.paymentIntentId,
            publishableKey: publishableKey ?? self.publishableKey
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// The caller deletes their own account; `confirm` must be true.
// MARK: - DeleteAccount
public struct DeleteAccount: Codable {
    public let confirm: Bool

    public enum CodingKeys: String, CodingKey {
        case confirm = "confirm"
    }

    public init(confirm: Bool) {
        self.confirm = confirm
    }
}

// MARK: DeleteAccount convenience initializers and mutators

public extension DeleteAccount {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(DeleteAccount.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        confirm: Bool? = nil
    ) -> DeleteAccount {
        return DeleteAccount(
            confirm: confirm ?? self.confirm
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - Deleted
public struct Deleted: Codable {
    public let deleted: Bool
    public let jobId: String

    public enum CodingKeys: String, CodingKey {
        case deleted = "deleted"
        case jobId = "jobId"
    }

    public init(deleted: Bool, jobId: String) {
        self.deleted = deleted
        self.jobId = jobId
    }
}

// MARK: Deleted convenience initializers and mutators

public extension Deleted {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(Deleted.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        deleted: Bool? = nil,
        jobId: String? = nil
    ) -> Deleted {
        return Deleted(
            deleted: deleted ?? self.deleted,
            jobId: jobId ?? self.jobId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - DeviceCheckResult
public struct DeviceCheckResult: Codable {
    public let balance: Int
    public let creditsGranted: Int
    public let grant: Grant
    public let uid: String

    public enum CodingKeys: String, CodingKey {
        case balance = "balance"
        case creditsGranted = "creditsGranted"
        case grant = "grant"
        case uid = "uid"
    }

    public init(balance: Int, creditsGranted: Int, grant: Grant, uid: String) {
        self.balance = balance
        self.creditsGranted = creditsGranted
        self.grant = grant
        self.uid = uid
    }
}

// MARK: DeviceCheckResult convenience initializers and mutators

public extension DeviceCheckResult {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(DeviceCheckResult.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        balance: Int? = nil,
        creditsGranted: Int? = nil,
        grant: Grant? = nil,
        uid: String? = nil
    ) -> DeviceCheckResult {
        return DeviceCheckResult(
            balance: balance ?? self.balance,
            creditsGranted: creditsGranted ?? self.creditsGranted,
            grant: grant ?? self.grant,
            uid: uid ?? self.uid
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

public enum Grant: String, Codable {
    case alreadyGranted = "already_granted"
    case deviceClaimed = "device_claimed"
    case granted = "granted"
}

// MARK: - DeviceList
public struct DeviceList: Codable {
    public let devices: [DeviceView]

    public enum CodingKeys: String, CodingKey {
        case devices = "devices"
    }

    public init(devices: [DeviceView]) {
        self.devices = devices
    }
}

// MARK: DeviceList convenience initializers and mutators

public extension DeviceList {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(DeviceList.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        devices: [DeviceView]? = nil
    ) -> DeviceList {
        return DeviceList(
            devices: devices ?? self.devices
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - DeviceView
public struct DeviceView: Codable {
    public let capabilities: CapabilitiesOutput
    public let deviceId: String
    public let lastPullAt: String?
    public let lastPullCursor: Int?
    public let lastSeenAt: String?
    public let name: String
    public let online: Bool
    public let platform: String
    public let pushEnabled: Bool
    public let registeredAt: String
    public let signedInAt: String?

    public enum CodingKeys: String, CodingKey {
        case capabilities = "capabilities"
        case deviceId = "deviceId"
        case lastPullAt = "lastPullAt"
        case lastPullCursor = "lastPullCursor"
        case lastSeenAt = "lastSeenAt"
        case name = "name"
        case online = "online"
        case platform = "platform"
        case pushEnabled = "pushEnabled"
        case registeredAt = "registeredAt"
        case signedInAt = "signedInAt"
    }

    public init(capabilities: CapabilitiesOutput, deviceId: String, lastPullAt: String?, lastPullCursor: Int?, lastSeenAt: String?, name: String, online: Bool, platform: String, pushEnabled: Bool, registeredAt: String, signedInAt: String?) {
        self.capabilities = capabilities
        self.deviceId = deviceId
        self.lastPullAt = lastPullAt
        self.lastPullCursor = lastPullCursor
        self.lastSeenAt = lastSeenAt
        self.name = name
        self.online = online
        self.platform = platform
        self.pushEnabled = pushEnabled
        self.registeredAt = registeredAt
        self.signedInAt = signedInAt
    }
}

// MARK: DeviceView convenience initializers and mutators

public extension DeviceView {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(DeviceView.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        capabilities: CapabilitiesOutput? = nil,
        deviceId: String? = nil,
        lastPullAt: String?? = nil,
        lastPullCursor: Int?? = nil,
        lastSeenAt: String?? = nil,
        name: String? = nil,
        online: Bool? = nil,
        platform: String? = nil,
        pushEnabled: Bool? = nil,
        registeredAt: String? = nil,
        signedInAt: String?? = nil
    ) -> DeviceView {
        return DeviceView(
            capabilities: capabilities ?? self.capabilities,
            deviceId: deviceId ?? self.deviceId,
            lastPullAt: lastPullAt ?? self.lastPullAt,
            lastPullCursor: lastPullCursor ?? self.lastPullCursor,
            lastSeenAt: lastSeenAt ?? self.lastSeenAt,
            name: name ?? self.name,
            online: online ?? self.online,
            platform: platform ?? self.platform,
            pushEnabled: pushEnabled ?? self.pushEnabled,
            registeredAt: registeredAt ?? self.registeredAt,
            signedInAt: signedInAt ?? self.signedInAt
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// What a device can do for the user's other devices.
// MARK: - CapabilitiesOutput
public struct CapabilitiesOutput: Codable {
    public let canRunInference: Bool
    public let models: [String]

    public enum CodingKeys: String, CodingKey {
        case canRunInference = "canRunInference"
        case models = "models"
    }

    public init(canRunInference: Bool, models: [String]) {
        self.canRunInference = canRunInference
        self.models = models
    }
}

// MARK: CapabilitiesOutput convenience initializers and mutators

public extension CapabilitiesOutput {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(CapabilitiesOutput.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        canRunInference: Bool? = nil,
        models: [String]? = nil
    ) -> CapabilitiesOutput {
        return CapabilitiesOutput(
            canRunInference: canRunInference ?? self.canRunInference,
            models: models ?? self.models
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - DeviceRef
public struct DeviceRef: Codable {
    public let deviceId: String

    public enum CodingKeys: String, CodingKey {
        case deviceId = "deviceId"
    }

    public init(deviceId: String) {
        self.deviceId = deviceId
    }
}

// MARK: DeviceRef convenience initializers and mutators

public extension DeviceRef {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(DeviceRef.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        deviceId: String? = nil
    ) -> DeviceRef {
        return DeviceRef(
            deviceId: deviceId ?? self.deviceId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// A request that takes no arguments.
// MARK: - Empty
public struct Empty: Codable {

    public init() {
    }
}

// MARK: Empty convenience initializers and mutators

public extension Empty {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(Empty.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
    ) -> Empty {
        return Empty(
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// get_entitlements: every add-on of the caller, and the account token to attach to
/// purchases (StoreKit appAccountToken, Play obfuscatedAccountId).
// MARK: - EntitlementsView
public struct EntitlementsView: Codable {
    public let appAccountToken: String
    public let entitlements: [EntitlementView]

    public enum CodingKeys: String, CodingKey {
        case appAccountToken = "appAccountToken"
        case entitlements = "entitlements"
    }

    public init(appAccountToken: String, entitlements: [EntitlementView]) {
        self.appAccountToken = appAccountToken
        self.entitlements = entitlements
    }
}

// MARK: EntitlementsView convenience initializers and mutators

public extension EntitlementsView {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(EntitlementsView.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        appAccountToken: String? = nil,
        entitlements: [EntitlementView]? = nil
    ) -> EntitlementsView {
        return EntitlementsView(
            appAccountToken: appAccountToken ?? self.appAccountToken,
            entitlements: entitlements ?? self.entitlements
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// One add-on as the app sees it; `active` is the same check as `is_entitled`.
// MARK: - EntitlementView
public struct EntitlementView: Codable {
    public let active: Bool
    public let addOn: String
    public let autoRenew: Bool
    public let environment: String
    public let expiresAt: String?
    public let familyShared: Bool
    public let graceExpiresAt: String?
    public let pendingProductId: String?
    public let platform: String
    public let productId: String
    public let status: EntitlementStatus
    public let tier: String?

    public enum CodingKeys: String, CodingKey {
        case active = "active"
        case addOn = "addOn"
        case autoRenew = "autoRenew"
        case environment = "environment"
        case expiresAt = "expiresAt"
        case familyShared = "familyShared"
        case graceExpiresAt = "graceExpiresAt"
        case pendingProductId = "pendingProductId"
        case platform = "platform"
        case productId = "productId"
        case status = "status"
        case tier = "tier"
    }

    public init(active: Bool, addOn: String, autoRenew: Bool, environment: String, expiresAt: String?, familyShared: Bool, graceExpiresAt: String?, pendingProductId: String?, platform: String, productId: String, status: EntitlementStatus, tier: String?) {
        self.active = active
        self.addOn = addOn
        self.autoRenew = autoRenew
        self.environment = environment
        self.expiresAt = expiresAt
        self.familyShared = familyShared
        self.graceExpiresAt = graceExpiresAt
        self.pendingProductId = pendingProductId
        self.platform = platform
        self.productId = productId
        self.status = status
        self.tier = tier
    }
}

// MARK: EntitlementView convenience initializers and mutators

public extension EntitlementView {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(EntitlementView.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        active: Bool? = nil,
        addOn: String? = nil,
        autoRenew: Bool? = nil,
        environment: String? = nil,
        expiresAt: String?? = nil,
        familyShared: Bool? = nil,
        graceExpiresAt: String?? = nil,
        pendingProductId: String?? = nil,
        platform: String? = nil,
        productId: String? = nil,
        status: EntitlementStatus? = nil,
        tier: String?? = nil
    ) -> EntitlementView {
        return EntitlementView(
            active: active ?? self.active,
            addOn: addOn ?? self.addOn,
            autoRenew: autoRenew ?? self.autoRenew,
            environment: environment ?? self.environment,
            expiresAt: expiresAt ?? self.expiresAt,
            familyShared: familyShared ?? self.familyShared,
            graceExpiresAt: graceExpiresAt ?? self.graceExpiresAt,
            pendingProductId: pendingProductId ?? self.pendingProductId,
            platform: platform ?? self.platform,
            productId: productId ?? self.productId,
            status: status ?? self.status,
            tier: tier ?? self.tier
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

public enum EntitlementStatus: String, Codable {
    case active = "active"
    case billingRetry = "billing_retry"
    case expired = "expired"
    case gracePeriod = "grace_period"
    case paused = "paused"
    case refunded = "refunded"
    case revoked = "revoked"
    case superseded = "superseded"
    case transferred = "transferred"
}

public enum ErrorCode: String, Codable {
    case err4000 = "ERR_4000"
    case err4001 = "ERR_4001"
    case err4002 = "ERR_4002"
    case err4003 = "ERR_4003"
    case err4004 = "ERR_4004"
    case err4010 = "ERR_4010"
    case err4011 = "ERR_4011"
    case err4012 = "ERR_4012"
    case err4013 = "ERR_4013"
    case err4014 = "ERR_4014"
    case err4015 = "ERR_4015"
    case err4017 = "ERR_4017"
    case err4018 = "ERR_4018"
    case err4019 = "ERR_4019"
    case err4020 = "ERR_4020"
    case err4030 = "ERR_4030"
    case err4031 = "ERR_4031"
    case err4032 = "ERR_4032"
    case err4033 = "ERR_4033"
    case err4034 = "ERR_4034"
    case err4101 = "ERR_4101"
    case err4102 = "ERR_4102"
    case err4103 = "ERR_4103"
    case err4104 = "ERR_4104"
    case err4105 = "ERR_4105"
    case err4106 = "ERR_4106"
    case err4107 = "ERR_4107"
    case err4108 = "ERR_4108"
    case err4201 = "ERR_4201"
    case err4202 = "ERR_4202"
    case err4203 = "ERR_4203"
    case err4204 = "ERR_4204"
    case err4205 = "ERR_4205"
    case err4206 = "ERR_4206"
    case err4207 = "ERR_4207"
    case err4208 = "ERR_4208"
    case err4209 = "ERR_4209"
    case err4210 = "ERR_4210"
    case err4211 = "ERR_4211"
    case err4212 = "ERR_4212"
    case err4213 = "ERR_4213"
    case err4300 = "ERR_4300"
    case err4301 = "ERR_4301"
    case err4302 = "ERR_4302"
    case err4303 = "ERR_4303"
    case err4304 = "ERR_4304"
    case err4305 = "ERR_4305"
    case err4306 = "ERR_4306"
    case err4307 = "ERR_4307"
    case err4308 = "ERR_4308"
    case err4309 = "ERR_4309"
    case err4310 = "ERR_4310"
    case err4311 = "ERR_4311"
    case err4312 = "ERR_4312"
    case err4400 = "ERR_4400"
    case err4401 = "ERR_4401"
    case err4402 = "ERR_4402"
    case err4403 = "ERR_4403"
    case err4404 = "ERR_4404"
    case err4405 = "ERR_4405"
    case err4406 = "ERR_4406"
    case err4407 = "ERR_4407"
    case err4410 = "ERR_4410"
    case err4411 = "ERR_4411"
    case err4412 = "ERR_4412"
    case err4420 = "ERR_4420"
    case err4421 = "ERR_4421"
    case err4422 = "ERR_4422"
    case err4423 = "ERR_4423"
    case err4424 = "ERR_4424"
    case err4425 = "ERR_4425"
    case err4426 = "ERR_4426"
    case err4427 = "ERR_4427"
    case err4501 = "ERR_4501"
    case err4502 = "ERR_4502"
    case err4503 = "ERR_4503"
    case err4504 = "ERR_4504"
    case err4505 = "ERR_4505"
    case err4506 = "ERR_4506"
    case err4507 = "ERR_4507"
    case err4508 = "ERR_4508"
    case err4509 = "ERR_4509"
    case err4510 = "ERR_4510"
    case err4512 = "ERR_4512"
    case err4513 = "ERR_4513"
    case err4520 = "ERR_4520"
    case err4600 = "ERR_4600"
    case err4601 = "ERR_4601"
    case err4602 = "ERR_4602"
    case err4603 = "ERR_4603"
    case err5001 = "ERR_5001"
    case err5002 = "ERR_5002"
    case err5003 = "ERR_5003"
    case err5101 = "ERR_5101"
    case err5102 = "ERR_5102"
    case err5103 = "ERR_5103"
    case err5104 = "ERR_5104"
    case err5201 = "ERR_5201"
    case err5202 = "ERR_5202"
    case err5203 = "ERR_5203"
    case err5204 = "ERR_5204"
    case err6001 = "ERR_6001"
    case err6002 = "ERR_6002"
    case err6003 = "ERR_6003"
}

// MARK: - Generate
public struct Generate: Codable {
    public let idempotencyKey: String?
    public let modelId: String
    public let options: [String: Option]?
    public let prompt: String

    public enum CodingKeys: String, CodingKey {
        case idempotencyKey = "idempotencyKey"
        case modelId = "modelId"
        case options = "options"
        case prompt = "prompt"
    }

    public init(idempotencyKey: String?, modelId: String, options: [String: Option]?, prompt: String) {
        self.idempotencyKey = idempotencyKey
        self.modelId = modelId
        self.options = options
        self.prompt = prompt
    }
}

// MARK: Generate convenience initializers and mutators

public extension Generate {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(Generate.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        idempotencyKey: String?? = nil,
        modelId: String? = nil,
        options: [String: Option]?? = nil,
        prompt: String? = nil
    ) -> Generate {
        return Generate(
            idempotencyKey: idempotencyKey ?? self.idempotencyKey,
            modelId: modelId ?? self.modelId,
            options: options ?? self.options,
            prompt: prompt ?? self.prompt
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

public enum Option: Codable {
    case bool(Bool)
    case double(Double)
    case integer(Int)
    case string(String)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let x = try? container.decode(Bool.self) {
            self = .bool(x)
            return
        }
        if let x = try? container.decode(Int.self) {
            self = .integer(x)
            return
        }
        if let x = try? container.decode(Double.self) {
            self = .double(x)
            return
        }
        if let x = try? container.decode(String.self) {
            self = .string(x)
            return
        }
        throw DecodingError.typeMismatch(Option.self, DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "Wrong type for Option"))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .bool(let x):
            try container.encode(x)
        case .double(let x):
            try container.encode(x)
        case .integer(let x):
            try container.encode(x)
        case .string(let x):
            try container.encode(x)
        }
    }
}

// MARK: - GetModels
public struct GetModels: Codable {
    public let ifNoneMatch: String?

    public enum CodingKeys: String, CodingKey {
        case ifNoneMatch = "ifNoneMatch"
    }

    public init(ifNoneMatch: String?) {
        self.ifNoneMatch = ifNoneMatch
    }
}

// MARK: GetModels convenience initializers and mutators

public extension GetModels {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(GetModels.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        ifNoneMatch: String?? = nil
    ) -> GetModels {
        return GetModels(
            ifNoneMatch: ifNoneMatch ?? self.ifNoneMatch
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - GetWallet
public struct GetWallet: Codable {
    public let cursor: String?
    public let limit: Int?

    public enum CodingKeys: String, CodingKey {
        case cursor = "cursor"
        case limit = "limit"
    }

    public init(cursor: String?, limit: Int?) {
        self.cursor = cursor
        self.limit = limit
    }
}

// MARK: GetWallet convenience initializers and mutators

public extension GetWallet {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(GetWallet.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        cursor: String?? = nil,
        limit: Int?? = nil
    ) -> GetWallet {
        return GetWallet(
            cursor: cursor ?? self.cursor,
            limit: limit ?? self.limit
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - Health
public struct Health: Codable {
    public let time: String
    public let uid: String
    public let version: String

    public enum CodingKeys: String, CodingKey {
        case time = "time"
        case uid = "uid"
        case version = "version"
    }

    public init(time: String, uid: String, version: String) {
        self.time = time
        self.uid = uid
        self.version = version
    }
}

// MARK: Health convenience initializers and mutators

public extension Health {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(Health.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        time: String? = nil,
        uid: String? = nil,
        version: String? = nil
    ) -> Health {
        return Health(
            time: time ?? self.time,
            uid: uid ?? self.uid,
            version: version ?? self.version
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - Heartbeat
public struct Heartbeat: Codable {
    public let capabilities: CapabilitiesInput?
    public let deviceId: String

    public enum CodingKeys: String, CodingKey {
        case capabilities = "capabilities"
        case deviceId = "deviceId"
    }

    public init(capabilities: CapabilitiesInput?, deviceId: String) {
        self.capabilities = capabilities
        self.deviceId = deviceId
    }
}

// MARK: Heartbeat convenience initializers and mutators

public extension Heartbeat {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(Heartbeat.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        capabilities: CapabilitiesInput?? = nil,
        deviceId: String? = nil
    ) -> Heartbeat {
        return Heartbeat(
            capabilities: capabilities ?? self.capabilities,
            deviceId: deviceId ?? self.deviceId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// What a device can do for the user's other devices.
// MARK: - CapabilitiesInput
public struct CapabilitiesInput: Codable {
    public let canRunInference: Bool?
    public let models: [String]?

    public enum CodingKeys: String, CodingKey {
        case canRunInference = "canRunInference"
        case models = "models"
    }

    public init(canRunInference: Bool?, models: [String]?) {
        self.canRunInference = canRunInference
        self.models = models
    }
}

// MARK: CapabilitiesInput convenience initializers and mutators

public extension CapabilitiesInput {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(CapabilitiesInput.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        canRunInference: Bool?? = nil,
        models: [String]?? = nil
    ) -> CapabilitiesInput {
        return CapabilitiesInput(
            canRunInference: canRunInference ?? self.canRunInference,
            models: models ?? self.models
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - HeartbeatAck
public struct HeartbeatAck: Codable {
    public let deviceId: String
    public let lastSeenAt: String
    public let online: Bool

    public enum CodingKeys: String, CodingKey {
        case deviceId = "deviceId"
        case lastSeenAt = "lastSeenAt"
        case online = "online"
    }

    public init(deviceId: String, lastSeenAt: String, online: Bool) {
        self.deviceId = deviceId
        self.lastSeenAt = lastSeenAt
        self.online = online
    }
}

// MARK: HeartbeatAck convenience initializers and mutators

public extension HeartbeatAck {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(HeartbeatAck.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        deviceId: String? = nil,
        lastSeenAt: String? = nil,
        online: Bool? = nil
    ) -> HeartbeatAck {
        return HeartbeatAck(
            deviceId: deviceId ?? self.deviceId,
            lastSeenAt: lastSeenAt ?? self.lastSeenAt,
            online: online ?? self.online
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - HeartbeatSession
public struct HeartbeatSession: Codable {
    public let sessionId: String

    public enum CodingKeys: String, CodingKey {
        case sessionId = "sessionId"
    }

    public init(sessionId: String) {
        self.sessionId = sessionId
    }
}

// MARK: HeartbeatSession convenience initializers and mutators

public extension HeartbeatSession {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(HeartbeatSession.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        sessionId: String? = nil
    ) -> HeartbeatSession {
        return HeartbeatSession(
            sessionId: sessionId ?? self.sessionId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - JobPage
public struct JobPage: Codable {
    public let jobs: [JobView]
    public let nextCursor: String?

    public enum CodingKeys: String, CodingKey {
        case jobs = "jobs"
        case nextCursor = "nextCursor"
    }

    public init(jobs: [JobView], nextCursor: String?) {
        self.jobs = jobs
        self.nextCursor = nextCursor
    }
}

// MARK: JobPage convenience initializers and mutators

public extension JobPage {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(JobPage.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        jobs: [JobView]? = nil,
        nextCursor: String?? = nil
    ) -> JobPage {
        return JobPage(
            jobs: jobs ?? self.jobs,
            nextCursor: nextCursor ?? self.nextCursor
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - JobView
public struct JobView: Codable {
    public let cost: Int
    public let createdAt: String
    public let error: JobError?
    public let finishedAt: String?
    public let jobId: String
    public let modelId: String
    public let prompt: String?
    public let refunded: Bool
    public let resultUrls: [String]
    public let status: JobStatus
    public let updatedAt: String

    public enum CodingKeys: String, CodingKey {
        case cost = "cost"
        case createdAt = "createdAt"
        case error = "error"
        case finishedAt = "finishedAt"
        case jobId = "jobId"
        case modelId = "modelId"
        case prompt = "prompt"
        case refunded = "refunded"
        case resultUrls = "resultUrls"
        case status = "status"
        case updatedAt = "updatedAt"
    }

    public init(cost: Int, createdAt: String, error: JobError?, finishedAt: String?, jobId: String, modelId: String, prompt: String?, refunded: Bool, resultUrls: [String], status: JobStatus, updatedAt: String) {
        self.cost = cost
        self.createdAt = createdAt
        self.error = error
        self.finishedAt = finishedAt
        self.jobId = jobId
        self.modelId = modelId
        self.prompt = prompt
        self.refunded = refunded
        self.resultUrls = resultUrls
        self.status = status
        self.updatedAt = updatedAt
    }
}

// MARK: JobView convenience initializers and mutators

public extension JobView {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(JobView.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        cost: Int? = nil,
        createdAt: String? = nil,
        error: JobError?? = nil,
        finishedAt: String?? = nil,
        jobId: String? = nil,
        modelId: String? = nil,
        prompt: String?? = nil,
        refunded: Bool? = nil,
        resultUrls: [String]? = nil,
        status: JobStatus? = nil,
        updatedAt: String? = nil
    ) -> JobView {
        return JobView(
            cost: cost ?? self.cost,
            createdAt: createdAt ?? self.createdAt,
            error: error ?? self.error,
            finishedAt: finishedAt ?? self.finishedAt,
            jobId: jobId ?? self.jobId,
            modelId: modelId ?? self.modelId,
            prompt: prompt ?? self.prompt,
            refunded: refunded ?? self.refunded,
            resultUrls: resultUrls ?? self.resultUrls,
            status: status ?? self.status,
            updatedAt: updatedAt ?? self.updatedAt
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - JobError
public struct JobError: Codable {
    public let code: String
    public let message: String

    public enum CodingKeys: String, CodingKey {
        case code = "code"
        case message = "message"
    }

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

// MARK: JobError convenience initializers and mutators

public extension JobError {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(JobError.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        code: String? = nil,
        message: String? = nil
    ) -> JobError {
        return JobError(
            code: code ?? self.code,
            message: message ?? self.message
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

public enum JobStatus: String, Codable {
    case completed = "completed"
    case failed = "failed"
    case queued = "queued"
    case running = "running"
    case submitting = "submitting"
}

// MARK: - JobRef
public struct JobRef: Codable {
    public let jobId: String

    public enum CodingKeys: String, CodingKey {
        case jobId = "jobId"
    }

    public init(jobId: String) {
        self.jobId = jobId
    }
}

// MARK: JobRef convenience initializers and mutators

public extension JobRef {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(JobRef.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        jobId: String? = nil
    ) -> JobRef {
        return JobRef(
            jobId: jobId ?? self.jobId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - ListBackfills
public struct ListBackfills: Codable {
    public let limit: Int?

    public enum CodingKeys: String, CodingKey {
        case limit = "limit"
    }

    public init(limit: Int?) {
        self.limit = limit
    }
}

// MARK: ListBackfills convenience initializers and mutators

public extension ListBackfills {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(ListBackfills.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        limit: Int?? = nil
    ) -> ListBackfills {
        return ListBackfills(
            limit: limit ?? self.limit
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - ListConflicts
public struct ListConflicts: Codable {
    public let before: Int?
    public let deviceId: String
    public let entryId: String?
    public let limit: Int?

    public enum CodingKeys: String, CodingKey {
        case before = "before"
        case deviceId = "deviceId"
        case entryId = "entryId"
        case limit = "limit"
    }

    public init(before: Int?, deviceId: String, entryId: String?, limit: Int?) {
        self.before = before
        self.deviceId = deviceId
        self.entryId = entryId
        self.limit = limit
    }
}

// MARK: ListConflicts convenience initializers and mutators

public extension ListConflicts {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(ListConflicts.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        before: Int?? = nil,
        deviceId: String? = nil,
        entryId: String?? = nil,
        limit: Int?? = nil
    ) -> ListConflicts {
        return ListConflicts(
            before: before ?? self.before,
            deviceId: deviceId ?? self.deviceId,
            entryId: entryId ?? self.entryId,
            limit: limit ?? self.limit
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - ListDevices
public struct ListDevices: Codable {
    public let canRunInference: Bool?
    public let onlineOnly: Bool?

    public enum CodingKeys: String, CodingKey {
        case canRunInference = "canRunInference"
        case onlineOnly = "onlineOnly"
    }

    public init(canRunInference: Bool?, onlineOnly: Bool?) {
        self.canRunInference = canRunInference
        self.onlineOnly = onlineOnly
    }
}

// MARK: ListDevices convenience initializers and mutators

public extension ListDevices {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(ListDevices.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        canRunInference: Bool?? = nil,
        onlineOnly: Bool?? = nil
    ) -> ListDevices {
        return ListDevices(
            canRunInference: canRunInference ?? self.canRunInference,
            onlineOnly: onlineOnly ?? self.onlineOnly
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - ListJobs
public struct ListJobs: Codable {
    public let cursor: String?
    public let limit: Int?

    public enum CodingKeys: String, CodingKey {
        case cursor = "cursor"
        case limit = "limit"
    }

    public init(cursor: String?, limit: Int?) {
        self.cursor = cursor
        self.limit = limit
    }
}

// MARK: ListJobs convenience initializers and mutators

public extension ListJobs {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(ListJobs.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        cursor: String?? = nil,
        limit: Int?? = nil
    ) -> ListJobs {
        return ListJobs(
            cursor: cursor ?? self.cursor,
            limit: limit ?? self.limit
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - ModelList
public struct ModelList: Codable {
    public let etag: String
    public let models: [ModelView]?
    public let notModified: Bool

    public enum CodingKeys: String, CodingKey {
        case etag = "etag"
        case models = "models"
        case notModified = "notModified"
    }

    public init(etag: String, models: [ModelView]?, notModified: Bool) {
        self.etag = etag
        self.models = models
        self.notModified = notModified
    }
}

// MARK: ModelList convenience initializers and mutators

public extension ModelList {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(ModelList.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        etag: String? = nil,
        models: [ModelView]?? = nil,
        notModified: Bool? = nil
    ) -> ModelList {
        return ModelList(
            etag: etag ?? self.etag,
            models: models ?? self.models,
            notModified: notModified ?? self.notModified
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - ModelView
public struct ModelView: Codable {
    public let cost: Int
    public let featured: Bool
    public let modelId: String
    public let name: String
    public let provider: String

    public enum CodingKeys: String, CodingKey {
        case cost = "cost"
        case featured = "featured"
        case modelId = "modelId"
        case name = "name"
        case provider = "provider"
    }

    public init(cost: Int, featured: Bool, modelId: String, name: String, provider: String) {
        self.cost = cost
        self.featured = featured
        self.modelId = modelId
        self.name = name
        self.provider = provider
    }
}

// MARK: ModelView convenience initializers and mutators

public extension ModelView {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(ModelView.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        cost: Int? = nil,
        featured: Bool? = nil,
        modelId: String? = nil,
        name: String? = nil,
        provider: String? = nil
    ) -> ModelView {
        return ModelView(
            cost: cost ?? self.cost,
            featured: featured ?? self.featured,
            modelId: modelId ?? self.modelId,
            name: name ?? self.name,
            provider: provider ?? self.provider
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - PollRelay
public struct PollRelay: Codable {
    public let deviceId: String
    public let limit: Int?

    public enum CodingKeys: String, CodingKey {
        case deviceId = "deviceId"
        case limit = "limit"
    }

    public init(deviceId: String, limit: Int?) {
        self.deviceId = deviceId
        self.limit = limit
    }
}

// MARK: PollRelay convenience initializers and mutators

public extension PollRelay {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(PollRelay.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        deviceId: String? = nil,
        limit: Int?? = nil
    ) -> PollRelay {
        return PollRelay(
            deviceId: deviceId ?? self.deviceId,
            limit: limit ?? self.limit
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - PullChanges
public struct PullChanges: Codable {
    public let cursor: Int?
    public let deviceId: String
    public let limit: Int?

    public enum CodingKeys: String, CodingKey {
        case cursor = "cursor"
        case deviceId = "deviceId"
        case limit = "limit"
    }

    public init(cursor: Int?, deviceId: String, limit: Int?) {
        self.cursor = cursor
        self.deviceId = deviceId
        self.limit = limit
    }
}

// MARK: PullChanges convenience initializers and mutators

public extension PullChanges {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(PullChanges.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        cursor: Int?? = nil,
        deviceId: String? = nil,
        limit: Int?? = nil
    ) -> PullChanges {
        return PullChanges(
            cursor: cursor ?? self.cursor,
            deviceId: deviceId ?? self.deviceId,
            limit: limit ?? self.limit
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// A page of changes. With `reset: true` the cursor could not be continued and this is the
/// first page of a full listing: keep paging, then drop every synced entry it did not list
/// (`drop: "unlisted"`).
// MARK: - PullPage
public struct PullPage: Codable {
    public let drop: Drop?
    public let entries: [SyncEntry]
    public let hasMore: Bool
    public let nextCursor: Int
    public let reset: Bool
    public let resetReason: Resetreason?

    public enum CodingKeys: String, CodingKey {
        case drop = "drop"
        case entries = "entries"
        case hasMore = "hasMore"
        case nextCursor = "nextCursor"
        case reset = "reset"
        case resetReason = "resetReason"
    }

    public init(drop: Drop?, entries: [SyncEntry], hasMore: Bool, nextCursor: Int, reset: Bool, resetReason: Resetreason?) {
        self.drop = drop
        self.entries = entries
        self.hasMore = hasMore
        self.nextCursor = nextCursor
        self.reset = reset
        self.resetReason = resetReason
    }
}

// MARK: PullPage convenience initializers and mutators

public extension PullPage {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(PullPage.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        drop: Drop?? = nil,
        entries: [SyncEntry]? = nil,
        hasMore: Bool? = nil,
        nextCursor: Int? = nil,
        reset: Bool? = nil,
        resetReason: Resetreason?? = nil
    ) -> PullPage {
        return PullPage(
            drop: drop ?? self.drop,
            entries: entries ?? self.entries,
            hasMore: hasMore ?? self.hasMore,
            nextCursor: nextCursor ?? self.nextCursor,
            reset: reset ?? self.reset,
            resetReason: resetReason ?? self.resetReason
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

public enum Drop: String, Codable {
    case unlisted = "unlisted"
}

public enum Resetreason: String, Codable {
    case purged = "purged"
    case unknownCursor = "unknown_cursor"
}

/// verify_purchase: what the purchase granted (idempotent: a repeat grants nothing more).
// MARK: - PurchaseResult
public struct PurchaseResult: Codable {
    public let alreadyApplied: Bool
    public let creditsAdded: Int
    public let entitlement: EntitlementView?
    public let kind: Kind
    public let platform: String
    public let productId: String
    public let refreshToken: Bool
    public let transactionId: String

    public enum CodingKeys: String, CodingKey {
        case alreadyApplied = "alreadyApplied"
        case creditsAdded = "creditsAdded"
        case entitlement = "entitlement"
        case kind = "kind"
        case platform = "platform"
        case productId = "productId"
        case refreshToken = "refreshToken"
        case transactionId = "transactionId"
    }

    public init(alreadyApplied: Bool, creditsAdded: Int, entitlement: EntitlementView?, kind: Kind, platform: String, productId: String, refreshToken: Bool, transactionId: String) {
        self.alreadyApplied = alreadyApplied
        self.creditsAdded = creditsAdded
        self.entitlement = entitlement
        self.kind = kind
        self.platform = platform
        self.productId = productId
        self.refreshToken = refreshToken
        self.transactionId = transactionId
    }
}

// MARK: PurchaseResult convenience initializers and mutators

public extension PurchaseResult {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(PurchaseResult.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        alreadyApplied: Bool? = nil,
        creditsAdded: Int? = nil,
        entitlement: EntitlementView?? = nil,
        kind: Kind? = nil,
        platform: String? = nil,
        productId: String? = nil,
        refreshToken: Bool? = nil,
        transactionId: String? = nil
    ) -> PurchaseResult {
        return PurchaseResult(
            alreadyApplied: alreadyApplied ?? self.alreadyApplied,
            creditsAdded: creditsAdded ?? self.creditsAdded,
            entitlement: entitlement ?? self.entitlement,
            kind: kind ?? self.kind,
            platform: platform ?? self.platform,
            productId: productId ?? self.productId,
            refreshToken: refreshToken ?? self.refreshToken,
            transactionId: transactionId ?? self.transactionId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

public enum Kind: String, Codable {
    case addOn = "add_on"
    case credits = "credits"
}

// MARK: - PushChanges
public struct PushChanges: Codable {
    public let deletedIds: [Deletion]?
    public let deviceId: String
    public let entries: [EntryChange]?

    public enum CodingKeys: String, CodingKey {
        case deletedIds = "deletedIds"
        case deviceId = "deviceId"
        case entries = "entries"
    }

    public init(deletedIds: [Deletion]?, deviceId: String, entries: [EntryChange]?) {
        self.deletedIds = deletedIds
        self.deviceId = deviceId
        self.entries = entries
    }
}

// MARK: PushChanges convenience initializers and mutators

public extension PushChanges {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(PushChanges.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        deletedIds: [Deletion]?? = nil,
        deviceId: String? = nil,
        entries: [EntryChange]?? = nil
    ) -> PushChanges {
        return PushChanges(
            deletedIds: deletedIds ?? self.deletedIds,
            deviceId: deviceId ?? self.deviceId,
            entries: entries ?? self.entries
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// A deletion: a tombstone with its own clock, resolved like any other version.
// MARK: - Deletion
public struct Deletion: Codable {
    public let clock: [String: Int]
    public let id: String
    public let updatedAt: String

    public enum CodingKeys: String, CodingKey {
        case clock = "clock"
        case id = "id"
        case updatedAt = "updatedAt"
    }

    public init(clock: [String: Int], id: String, updatedAt: String) {
        self.clock = clock
        self.id = id
        self.updatedAt = updatedAt
    }
}

// MARK: Deletion convenience initializers and mutators

public extension Deletion {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(Deletion.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        clock: [String: Int]? = nil,
        id: String? = nil,
        updatedAt: String? = nil
    ) -> Deletion {
        return Deletion(
            clock: clock ?? self.clock,
            id: id ?? self.id,
            updatedAt: updatedAt ?? self.updatedAt
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// A new version of an entry: base64 ciphertext, its vector clock and the client's time.
// MARK: - EntryChange
public struct EntryChange: Codable {
    public let ciphertext: String
    public let clock: [String: Int]
    public let id: String
    public let updatedAt: String

    public enum CodingKeys: String, CodingKey {
        case ciphertext = "ciphertext"
        case clock = "clock"
        case id = "id"
        case updatedAt = "updatedAt"
    }

    public init(ciphertext: String, clock: [String: Int], id: String, updatedAt: String) {
        self.ciphertext = ciphertext
        self.clock = clock
        self.id = id
        self.updatedAt = updatedAt
    }
}

// MARK: EntryChange convenience initializers and mutators

public extension EntryChange {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(EntryChange.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        ciphertext: String? = nil,
        clock: [String: Int]? = nil,
        id: String? = nil,
        updatedAt: String? = nil
    ) -> EntryChange {
        return EntryChange(
            ciphertext: ciphertext ?? self.ciphertext,
            clock: clock ?? self.clock,
            id: id ?? self.id,
            updatedAt: updatedAt ?? self.updatedAt
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - PushResult
public struct PushResult: Codable {
    public let lastSeq: Int
    public let results: [EntryOutcome]

    public enum CodingKeys: String, CodingKey {
        case lastSeq = "lastSeq"
        case results = "results"
    }

    public init(lastSeq: Int, results: [EntryOutcome]) {
        self.lastSeq = lastSeq
        self.results = results
    }
}

// MARK: PushResult convenience initializers and mutators

public extension PushResult {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(PushResult.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        lastSeq: Int? = nil,
        results: [EntryOutcome]? = nil
    ) -> PushResult {
        return PushResult(
            lastSeq: lastSeq ?? self.lastSeq,
            results: results ?? self.results
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// What happened to one pushed entry; `seq`, `version` and `clock` are the stored ones.
// MARK: - EntryOutcome
public struct EntryOutcome: Codable {
    public let clock: [String: Int]
    public let duplicate: Bool
    public let id: String
    public let seq: Int
    public let status: EntryOutcomeStatus
    public let version: Int
    public let winner: Winner?

    public enum CodingKeys: String, CodingKey {
        case clock = "clock"
        case duplicate = "duplicate"
        case id = "id"
        case seq = "seq"
        case status = "status"
        case version = "version"
        case winner = "winner"
    }

    public init(clock: [String: Int], duplicate: Bool, id: String, seq: Int, status: EntryOutcomeStatus, version: Int, winner: Winner?) {
        self.clock = clock
        self.duplicate = duplicate
        self.id = id
        self.seq = seq
        self.status = status
        self.version = version
        self.winner = winner
    }
}

// MARK: EntryOutcome convenience initializers and mutators

public extension EntryOutcome {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(EntryOutcome.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        clock: [String: Int]? = nil,
        duplicate: Bool? = nil,
        id: String? = nil,
        seq: Int? = nil,
        status: EntryOutcomeStatus? = nil,
        version: Int? = nil,
        winner: Winner?? = nil
    ) -> EntryOutcome {
        return EntryOutcome(
            clock: clock ?? self.clock,
            duplicate: duplicate ?? self.duplicate,
            id: id ?? self.id,
            seq: seq ?? self.seq,
            status: status ?? self.status,
            version: version ?? self.version,
            winner: winner ?? self.winner
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

public enum EntryOutcomeStatus: String, Codable {
    case accepted = "accepted"
    case conflict = "conflict"
    case stale = "stale"
}

public enum Winner: String, Codable {
    case incoming = "incoming"
    case stored = "stored"
}

// MARK: - PutModel
public struct PutModel: Codable {
    public let allowedOptions: [String]?
    public let available: Bool?
    public let cost: Int
    public let featured: Bool?
    public let modelId: String
    public let name: String
    public let provider: String?
    public let providerModelId: String
    public let reason: String

    public enum CodingKeys: String, CodingKey {
        case allowedOptions = "allowedOptions"
        case available = "available"
        case cost = "cost"
        case featured = "featured"
        case modelId = "modelId"
        case name = "name"
        case provider = "provider"
        case providerModelId = "providerModelId"
        case reason = "reason"
    }

    public init(allowedOptions: [String]?, available: Bool?, cost: Int, featured: Bool?, modelId: String, name: String, provider: String?, providerModelId: String, reason: String) {
        self.allowedOptions = allowedOptions
        self.available = available
        self.cost = cost
        self.featured = featured
        self.modelId = modelId
        self.name = name
        self.provider = provider
        self.providerModelId = providerModelId
        self.reason = reason
    }
}

// MARK: PutModel convenience initializers and mutators

public extension PutModel {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(PutModel.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        allowedOptions: [String]?? = nil,
        available: Bool?? = nil,
        cost: Int? = nil,
        featured: Bool?? = nil,
        modelId: String? = nil,
        name: String? = nil,
        provider: String?? = nil,
        providerModelId: String? = nil,
        reason: String? = nil
    ) -> PutModel {
        return PutModel(
            allowedOptions: allowedOptions ?? self.allowedOptions,
            available: available ?? self.available,
            cost: cost ?? self.cost,
            featured: featured ?? self.featured,
            modelId: modelId ?? self.modelId,
            name: name ?? self.name,
            provider: provider ?? self.provider,
            providerModelId: providerModelId ?? self.providerModelId,
            reason: reason ?? self.reason
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - RefundJob
public struct RefundJob: Codable {
    public let jobId: String
    public let reason: String

    public enum CodingKeys: String, CodingKey {
        case jobId = "jobId"
        case reason = "reason"
    }

    public init(jobId: String, reason: String) {
        self.jobId = jobId
        self.reason = reason
    }
}

// MARK: RefundJob convenience initializers and mutators

public extension RefundJob {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(RefundJob.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        jobId: String? = nil,
        reason: String? = nil
    ) -> RefundJob {
        return RefundJob(
            jobId: jobId ?? self.jobId,
            reason: reason ?? self.reason
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - RegisterDevice
public struct RegisterDevice: Codable {
    public let capabilities: CapabilitiesInput?
    public let deviceId: String
    public let fcmToken: String?
    public let name: String
    public let platform: String

    public enum CodingKeys: String, CodingKey {
        case capabilities = "capabilities"
        case deviceId = "deviceId"
        case fcmToken = "fcmToken"
        case name = "name"
        case platform = "platform"
    }

    public init(capabilities: CapabilitiesInput?, deviceId: String, fcmToken: String?, name: String, platform: String) {
        self.capabilities = capabilities
        self.deviceId = deviceId
        self.fcmToken = fcmToken
        self.name = name
        self.platform = platform
    }
}

// MARK: RegisterDevice convenience initializers and mutators

public extension RegisterDevice {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(RegisterDevice.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        capabilities: CapabilitiesInput?? = nil,
        deviceId: String? = nil,
        fcmToken: String?? = nil,
        name: String? = nil,
        platform: String? = nil
    ) -> RegisterDevice {
        return RegisterDevice(
            capabilities: capabilities ?? self.capabilities,
            deviceId: deviceId ?? self.deviceId,
            fcmToken: fcmToken ?? self.fcmToken,
            name: name ?? self.name,
            platform: platform ?? self.platform
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - RelayBatch
public struct RelayBatch: Codable {
    public let requests: [RelayRequest]

    public enum CodingKeys: String, CodingKey {
        case requests = "requests"
    }

    public init(requests: [RelayRequest]) {
        self.requests = requests
    }
}

// MARK: RelayBatch convenience initializers and mutators

public extension RelayBatch {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(RelayBatch.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        requests: [RelayRequest]? = nil
    ) -> RelayBatch {
        return RelayBatch(
            requests: requests ?? self.requests
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// A request as the target device receives it.
// MARK: - RelayRequest
public struct RelayRequest: Codable {
    public let ciphertext: String
    public let createdAt: String
    public let expiresAt: String
    public let mac: String
    public let nonce: String
    public let relayId: String
    public let sourceDeviceId: String

    public enum CodingKeys: String, CodingKey {
        case ciphertext = "ciphertext"
        case createdAt = "createdAt"
        case expiresAt = "expiresAt"
        case mac = "mac"
        case nonce = "nonce"
        case relayId = "relayId"
        case sourceDeviceId = "sourceDeviceId"
    }

    public init(ciphertext: String, createdAt: String, expiresAt: String, mac: String, nonce: String, relayId: String, sourceDeviceId: String) {
        self.ciphertext = ciphertext
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.mac = mac
        self.nonce = nonce
        self.relayId = relayId
        self.sourceDeviceId = sourceDeviceId
    }
}

// MARK: RelayRequest convenience initializers and mutators

public extension RelayRequest {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(RelayRequest.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        ciphertext: String? = nil,
        createdAt: String? = nil,
        expiresAt: String? = nil,
        mac: String? = nil,
        nonce: String? = nil,
        relayId: String? = nil,
        sourceDeviceId: String? = nil
    ) -> RelayRequest {
        return RelayRequest(
            ciphertext: ciphertext ?? self.ciphertext,
            createdAt: createdAt ?? self.createdAt,
            expiresAt: expiresAt ?? self.expiresAt,
            mac: mac ?? self.mac,
            nonce: nonce ?? self.nonce,
            relayId: relayId ?? self.relayId,
            sourceDeviceId: sourceDeviceId ?? self.sourceDeviceId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - RelayRef
public struct RelayRef: Codable {
    public let deviceId: String
    public let relayId: String

    public enum CodingKeys: String, CodingKey {
        case deviceId = "deviceId"
        case relayId = "relayId"
    }

    public init(deviceId: String, relayId: String) {
        self.deviceId = deviceId
        self.relayId = relayId
    }
}

// MARK: RelayRef convenience initializers and mutators

public extension RelayRef {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(RelayRef.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        deviceId: String? = nil,
        relayId: String? = nil
    ) -> RelayRef {
        return RelayRef(
            deviceId: deviceId ?? self.deviceId,
            relayId: relayId ?? self.relayId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - RelayView
public struct RelayView: Codable {
    public let createdAt: String
    public let expiresAt: String
    public let relayId: String
    public let response: Sealed?
    public let sourceDeviceId: String
    public let status: RelayViewStatus
    public let targetDeviceId: String

    public enum CodingKeys: String, CodingKey {
        case createdAt = "createdAt"
        case expiresAt = "expiresAt"
        case relayId = "relayId"
        case response = "response"
        case sourceDeviceId = "sourceDeviceId"
        case status = "status"
        case targetDeviceId = "targetDeviceId"
    }

    public init(createdAt: String, expiresAt: String, relayId: String, response: Sealed?, sourceDeviceId: String, status: RelayViewStatus, targetDeviceId: String) {
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.relayId = relayId
        self.response = response
        self.sourceDeviceId = sourceDeviceId
        self.status = status
        self.targetDeviceId = targetDeviceId
    }
}

// MARK: RelayView convenience initializers and mutators

public extension RelayView {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(RelayView.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        createdAt: String? = nil,
        expiresAt: String? = nil,
        relayId: String? = nil,
        response: Sealed?? = nil,
        sourceDeviceId: String? = nil,
        status: RelayViewStatus? = nil,
        targetDeviceId: String? = nil
    ) -> RelayView {
        return RelayView(
            createdAt: createdAt ?? self.createdAt,
            expiresAt: expiresAt ?? self.expiresAt,
            relayId: relayId ?? self.relayId,
            response: response ?? self.response,
            sourceDeviceId: sourceDeviceId ?? self.sourceDeviceId,
            status: status ?? self.status,
            targetDeviceId: targetDeviceId ?? self.targetDeviceId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// An encrypted message: AEAD ciphertext, its nonce and tag, each base64.
// MARK: - Sealed
public struct Sealed: Codable {
    public let ciphertext: String
    public let mac: String
    public let nonce: String

    public enum CodingKeys: String, CodingKey {
        case ciphertext = "ciphertext"
        case mac = "mac"
        case nonce = "nonce"
    }

    public init(ciphertext: String, mac: String, nonce: String) {
        self.ciphertext = ciphertext
        self.mac = mac
        self.nonce = nonce
    }
}

// MARK: Sealed convenience initializers and mutators

public extension Sealed {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(Sealed.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        ciphertext: String? = nil,
        mac: String? = nil,
        nonce: String? = nil
    ) -> Sealed {
        return Sealed(
            ciphertext: ciphertext ?? self.ciphertext,
            mac: mac ?? self.mac,
            nonce: nonce ?? self.nonce
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

public enum RelayViewStatus: String, Codable {
    case done = "done"
    case expired = "expired"
    case pending = "pending"
    case processing = "processing"
}

// MARK: - Removed
public struct Removed: Codable {
    public let deviceId: String
    public let removed: Bool

    public enum CodingKeys: String, CodingKey {
        case deviceId = "deviceId"
        case removed = "removed"
    }

    public init(deviceId: String, removed: Bool) {
        self.deviceId = deviceId
        self.removed = removed
    }
}

// MARK: Removed convenience initializers and mutators

public extension Removed {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(Removed.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        deviceId: String? = nil,
        removed: Bool? = nil
    ) -> Removed {
        return Removed(
            deviceId: deviceId ?? self.deviceId,
            removed: removed ?? self.removed
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - RenameDevice
public struct RenameDevice: Codable {
    public let deviceId: String
    public let name: String

    public enum CodingKeys: String, CodingKey {
        case deviceId = "deviceId"
        case name = "name"
    }

    public init(deviceId: String, name: String) {
        self.deviceId = deviceId
        self.name = name
    }
}

// MARK: RenameDevice convenience initializers and mutators

public extension RenameDevice {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(RenameDevice.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        deviceId: String? = nil,
        name: String? = nil
    ) -> RenameDevice {
        return RenameDevice(
            deviceId: deviceId ?? self.deviceId,
            name: name ?? self.name
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - ResolveSession
public struct ResolveSession: Codable {
    public let idempotencyKey: String?
    public let outcome: Outcome
    public let reason: String?
    public let sessionId: String

    public enum CodingKeys: String, CodingKey {
        case idempotencyKey = "idempotencyKey"
        case outcome = "outcome"
        case reason = "reason"
        case sessionId = "sessionId"
    }

    public init(idempotencyKey: String?, outcome: Outcome, reason: String?, sessionId: String) {
        self.idempotencyKey = idempotencyKey
        self.outcome = outcome
        self.reason = reason
        self.sessionId = sessionId
    }
}

// MARK: ResolveSession convenience initializers and mutators

public extension ResolveSession {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(ResolveSession.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        idempotencyKey: String?? = nil,
        outcome: Outcome? = nil,
        reason: String?? = nil,
        sessionId: String? = nil
    ) -> ResolveSession {
        return ResolveSession(
            idempotencyKey: idempotencyKey ?? self.idempotencyKey,
            outcome: outcome ?? self.outcome,
            reason: reason ?? self.reason,
            sessionId: sessionId ?? self.sessionId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

public enum Outcome: String, Codable {
    case failure = "FAILURE"
    case success = "SUCCESS"
}

// MARK: - RespondRelay
public struct RespondRelay: Codable {
    public let ciphertext: String
    public let deviceId: String
    public let mac: String
    public let nonce: String
    public let relayId: String

    public enum CodingKeys: String, CodingKey {
        case ciphertext = "ciphertext"
        case deviceId = "deviceId"
        case mac = "mac"
        case nonce = "nonce"
        case relayId = "relayId"
    }

    public init(ciphertext: String, deviceId: String, mac: String, nonce: String, relayId: String) {
        self.ciphertext = ciphertext
        self.deviceId = deviceId
        self.mac = mac
        self.nonce = nonce
        self.relayId = relayId
    }
}

// MARK: RespondRelay convenience initializers and mutators

public extension RespondRelay {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(RespondRelay.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        ciphertext: String? = nil,
        deviceId: String? = nil,
        mac: String? = nil,
        nonce: String? = nil,
        relayId: String? = nil
    ) -> RespondRelay {
        return RespondRelay(
            ciphertext: ciphertext ?? self.ciphertext,
            deviceId: deviceId ?? self.deviceId,
            mac: mac ?? self.mac,
            nonce: nonce ?? self.nonce,
            relayId: relayId ?? self.relayId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// Stripe: id is sub_/pi_/cus_. App Store: id is an original transaction id. Play: id is
/// a purchase token (productId optional once the purchase is bound).
// MARK: - ResyncObject
public struct ResyncObject: Codable {
    public let id: String
    public let livemode: Bool?
    public let productId: String?
    public let source: Source

    public enum CodingKeys: String, CodingKey {
        case id = "id"
        case livemode = "livemode"
        case productId = "productId"
        case source = "source"
    }

    public init(id: String, livemode: Bool?, productId: String?, source: Source) {
        self.id = id
        self.livemode = livemode
        self.productId = productId
        self.source = source
    }
}

// MARK: ResyncObject convenience initializers and mutators

public extension ResyncObject {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(ResyncObject.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        id: String? = nil,
        livemode: Bool?? = nil,
        productId: String?? = nil,
        source: Source? = nil
    ) -> ResyncObject {
        return ResyncObject(
            id: id ?? self.id,
            livemode: livemode ?? self.livemode,
            productId: productId ?? self.productId,
            source: source ?? self.source
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

public enum Source: String, Codable {
    case appStore = "app_store"
    case playStore = "play_store"
    case stripe = "stripe"
}

// MARK: - ResyncResult
public struct ResyncResult: Codable {
    public let id: String
    public let outcomes: [String: String]
    public let source: Source

    public enum CodingKeys: String, CodingKey {
        case id = "id"
        case outcomes = "outcomes"
        case source = "source"
    }

    public init(id: String, outcomes: [String: String], source: Source) {
        self.id = id
        self.outcomes = outcomes
        self.source = source
    }
}

// MARK: ResyncResult convenience initializers and mutators

public extension ResyncResult {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(ResyncResult.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        id: String? = nil,
        outcomes: [String: String]? = nil,
        source: Source? = nil
    ) -> ResyncResult {
        return ResyncResult(
            id: id ?? self.id,
            outcomes: outcomes ?? self.outcomes,
            source: source ?? self.source
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - SessionView
public struct SessionView: Codable {
    public let ashGranted: Int
    public let durationMinutes: Int
    public let expiresAt: String
    public let frozenVotes: Int
    public let lastHeartbeatAt: String
    public let outcome: Outcome?
    public let pledge: Int
    public let reason: String?
    public let redemptionExpiresAt: String?
    public let replayed: Bool
    public let resolvedAt: String?
    public let sessionId: String
    public let startedAt: String
    public let status: SessionStatus

    public enum CodingKeys: String, CodingKey {
        case ashGranted = "ashGranted"
        case durationMinutes = "durationMinutes"
        case expiresAt = "expiresAt"
        case frozenVotes = "frozenVotes"
        case lastHeartbeatAt = "lastHeartbeatAt"
        case outcome = "outcome"
        case pledge = "pledge"
        case reason = "reason"
        case redemptionExpiresAt = "redemptionExpiresAt"
        case replayed = "replayed"
        case resolvedAt = "resolvedAt"
        case sessionId = "sessionId"
        case startedAt = "startedAt"
        case status = "status"
    }

    public init(ashGranted: Int, durationMinutes: Int, expiresAt: String, frozenVotes: Int, lastHeartbeatAt: String, outcome: Outcome?, pledge: Int, reason: String?, redemptionExpiresAt: String?, replayed: Bool, resolvedAt: String?, sessionId: String, startedAt: String, status: SessionStatus) {
        self.ashGranted = ashGranted
        self.durationMinutes = durationMinutes
        self.expiresAt = expiresAt
        self.frozenVotes = frozenVotes
        self.lastHeartbeatAt = lastHeartbeatAt
        self.outcome = outcome
        self.pledge = pledge
        self.reason = reason
        self.redemptionExpiresAt = redemptionExpiresAt
        self.replayed = replayed
        self.resolvedAt = resolvedAt
        self.sessionId = sessionId
        self.startedAt = startedAt
        self.status = status
    }
}

// MARK: SessionView convenience initializers and mutators

public extension SessionView {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(SessionView.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        ashGranted: Int? = nil,
        durationMinutes: Int? = nil,
        expiresAt: String? = nil,
        frozenVotes: Int? = nil,
        lastHeartbeatAt: String? = nil,
        outcome: Outcome?? = nil,
        pledge: Int? = nil,
        reason: String?? = nil,
        redemptionExpiresAt: String?? = nil,
        replayed: Bool? = nil,
        resolvedAt: String?? = nil,
        sessionId: String? = nil,
        startedAt: String? = nil,
        status: SessionStatus? = nil
    ) -> SessionView {
        return SessionView(
            ashGranted: ashGranted ?? self.ashGranted,
            durationMinutes: durationMinutes ?? self.durationMinutes,
            expiresAt: expiresAt ?? self.expiresAt,
            frozenVotes: frozenVotes ?? self.frozenVotes,
            lastHeartbeatAt: lastHeartbeatAt ?? self.lastHeartbeatAt,
            outcome: outcome ?? self.outcome,
            pledge: pledge ?? self.pledge,
            reason: reason ?? self.reason,
            redemptionExpiresAt: redemptionExpiresAt ?? self.redemptionExpiresAt,
            replayed: replayed ?? self.replayed,
            resolvedAt: resolvedAt ?? self.resolvedAt,
            sessionId: sessionId ?? self.sessionId,
            startedAt: startedAt ?? self.startedAt,
            status: status ?? self.status
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

public enum SessionStatus: String, Codable {
    case active = "ACTIVE"
    case completed = "COMPLETED"
    case failed = "FAILED"
}

// MARK: - SetModelAvailability
public struct SetModelAvailability: Codable {
    public let available: Bool
    public let modelId: String
    public let reason: String

    public enum CodingKeys: String, CodingKey {
        case available = "available"
        case modelId = "modelId"
        case reason = "reason"
    }

    public init(available: Bool, modelId: String, reason: String) {
        self.available = available
        self.modelId = modelId
        self.reason = reason
    }
}

// MARK: SetModelAvailability convenience initializers and mutators

public extension SetModelAvailability {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(SetModelAvailability.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        available: Bool? = nil,
        modelId: String? = nil,
        reason: String? = nil
    ) -> SetModelAvailability {
        return SetModelAvailability(
            available: available ?? self.available,
            modelId: modelId ?? self.modelId,
            reason: reason ?? self.reason
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// Every ID token issued before `tokens_valid_after` is refused from now on.
// MARK: - SignedOut
public struct SignedOut: Codable {
    public let tokensValidAfter: String

    public enum CodingKeys: String, CodingKey {
        case tokensValidAfter = "tokensValidAfter"
    }

    public init(tokensValidAfter: String) {
        self.tokensValidAfter = tokensValidAfter
    }
}

// MARK: SignedOut convenience initializers and mutators

public extension SignedOut {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(SignedOut.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        tokensValidAfter: String? = nil
    ) -> SignedOut {
        return SignedOut(
            tokensValidAfter: tokensValidAfter ?? self.tokensValidAfter
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - StartBackfillInput
public struct StartBackfillInput: Codable {
    public let batchSize: Int?
    public let conflictStrategy: Conflictstrategy?
    public let createdFrom: String?
    public let createdTo: String?
    public let dryRun: Bool?
    public let entityTypes: [Entitytype]?

    public enum CodingKeys: String, CodingKey {
        case batchSize = "batchSize"
        case conflictStrategy = "conflictStrategy"
        case createdFrom = "createdFrom"
        case createdTo = "createdTo"
        case dryRun = "dryRun"
        case entityTypes = "entityTypes"
    }

    public init(batchSize: Int?, conflictStrategy: Conflictstrategy?, createdFrom: String?, createdTo: String?, dryRun: Bool?, entityTypes: [Entitytype]?) {
        self.batchSize = batchSize
        self.conflictStrategy = conflictStrategy
        self.createdFrom = createdFrom
        self.createdTo = createdTo
        self.dryRun = dryRun
        self.entityTypes = entityTypes
    }
}

// MARK: StartBackfillInput convenience initializers and mutators

public extension StartBackfillInput {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(StartBackfillInput.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        batchSize: Int?? = nil,
        conflictStrategy: Conflictstrategy?? = nil,
        createdFrom: String?? = nil,
        createdTo: String?? = nil,
        dryRun: Bool?? = nil,
        entityTypes: [Entitytype]?? = nil
    ) -> StartBackfillInput {
        return StartBackfillInput(
            batchSize: batchSize ?? self.batchSize,
            conflictStrategy: conflictStrategy ?? self.conflictStrategy,
            createdFrom: createdFrom ?? self.createdFrom,
            createdTo: createdTo ?? self.createdTo,
            dryRun: dryRun ?? self.dryRun,
            entityTypes: entityTypes ?? self.entityTypes
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - StartSession
public struct StartSession: Codable {
    public let durationMinutes: Int
    public let idempotencyKey: String?
    public let pledge: Int

    public enum CodingKeys: String, CodingKey {
        case durationMinutes = "durationMinutes"
        case idempotencyKey = "idempotencyKey"
        case pledge = "pledge"
    }

    public init(durationMinutes: Int, idempotencyKey: String?, pledge: Int) {
        self.durationMinutes = durationMinutes
        self.idempotencyKey = idempotencyKey
        self.pledge = pledge
    }
}

// MARK: StartSession convenience initializers and mutators

public extension StartSession {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(StartSession.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        durationMinutes: Int? = nil,
        idempotencyKey: String?? = nil,
        pledge: Int? = nil
    ) -> StartSession {
        return StartSession(
            durationMinutes: durationMinutes ?? self.durationMinutes,
            idempotencyKey: idempotencyKey ?? self.idempotencyKey,
            pledge: pledge ?? self.pledge
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - StatusRequest
public struct StatusRequest: Codable {
    public let deviceId: String

    public enum CodingKeys: String, CodingKey {
        case deviceId = "deviceId"
    }

    public init(deviceId: String) {
        self.deviceId = deviceId
    }
}

// MARK: StatusRequest convenience initializers and mutators

public extension StatusRequest {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(StatusRequest.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        deviceId: String? = nil
    ) -> StatusRequest {
        return StatusRequest(
            deviceId: deviceId ?? self.deviceId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - SyncStatus
public struct SyncStatus: Codable {
    public let conflictCount: Int
    public let devices: [DeviceSyncStatus]
    public let entryCount: Int
    public let lastSeq: Int
    public let purgeHorizon: Int
    public let tombstoneCount: Int

    public enum CodingKeys: String, CodingKey {
        case conflictCount = "conflictCount"
        case devices = "devices"
        case entryCount = "entryCount"
        case lastSeq = "lastSeq"
        case purgeHorizon = "purgeHorizon"
        case tombstoneCount = "tombstoneCount"
    }

    public init(conflictCount: Int, devices: [DeviceSyncStatus], entryCount: Int, lastSeq: Int, purgeHorizon: Int, tombstoneCount: Int) {
        self.conflictCount = conflictCount
        self.devices = devices
        self.entryCount = entryCount
        self.lastSeq = lastSeq
        self.purgeHorizon = purgeHorizon
        self.tombstoneCount = tombstoneCount
    }
}

// MARK: SyncStatus convenience initializers and mutators

public extension SyncStatus {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(SyncStatus.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        conflictCount: Int? = nil,
        devices: [DeviceSyncStatus]? = nil,
        entryCount: Int? = nil,
        lastSeq: Int? = nil,
        purgeHorizon: Int? = nil,
        tombstoneCount: Int? = nil
    ) -> SyncStatus {
        return SyncStatus(
            conflictCount: conflictCount ?? self.conflictCount,
            devices: devices ?? self.devices,
            entryCount: entryCount ?? self.entryCount,
            lastSeq: lastSeq ?? self.lastSeq,
            purgeHorizon: purgeHorizon ?? self.purgeHorizon,
            tombstoneCount: tombstoneCount ?? self.tombstoneCount
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - DeviceSyncStatus
public struct DeviceSyncStatus: Codable {
    public let deviceId: String
    public let lastPullAt: String?
    public let lastPullCursor: Int?
    public let lastPushAt: String?
    public let name: String
    public let online: Bool

    public enum CodingKeys: String, CodingKey {
        case deviceId = "deviceId"
        case lastPullAt = "lastPullAt"
        case lastPullCursor = "lastPullCursor"
        case lastPushAt = "lastPushAt"
        case name = "name"
        case online = "online"
    }

    public init(deviceId: String, lastPullAt: String?, lastPullCursor: Int?, lastPushAt: String?, name: String, online: Bool) {
        self.deviceId = deviceId
        self.lastPullAt = lastPullAt
        self.lastPullCursor = lastPullCursor
        self.lastPushAt = lastPushAt
        self.name = name
        self.online = online
    }
}

// MARK: DeviceSyncStatus convenience initializers and mutators

public extension DeviceSyncStatus {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(DeviceSyncStatus.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        deviceId: String? = nil,
        lastPullAt: String?? = nil,
        lastPullCursor: Int?? = nil,
        lastPushAt: String?? = nil,
        name: String? = nil,
        online: Bool? = nil
    ) -> DeviceSyncStatus {
        return DeviceSyncStatus(
            deviceId: deviceId ?? self.deviceId,
            lastPullAt: lastPullAt ?? self.lastPullAt,
            lastPullCursor: lastPullCursor ?? self.lastPullCursor,
            lastPushAt: lastPushAt ?? self.lastPushAt,
            name: name ?? self.name,
            online: online ?? self.online
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - UpgradeGuest
public struct UpgradeGuest: Codable {
    public let guestIdToken: String

    public enum CodingKeys: String, CodingKey {
        case guestIdToken = "guestIdToken"
    }

    public init(guestIdToken: String) {
        self.guestIdToken = guestIdToken
    }
}

// MARK: UpgradeGuest convenience initializers and mutators

public extension UpgradeGuest {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(UpgradeGuest.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        guestIdToken: String? = nil
    ) -> UpgradeGuest {
        return UpgradeGuest(
            guestIdToken: guestIdToken ?? self.guestIdToken
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - UpgradeResult
public struct UpgradeResult: Codable {
    public let balance: Int
    public let creditsMoved: Int
    public let jobsMoved: Int
    public let mergedFrom: String
    public let uid: String

    public enum CodingKeys: String, CodingKey {
        case balance = "balance"
        case creditsMoved = "creditsMoved"
        case jobsMoved = "jobsMoved"
        case mergedFrom = "mergedFrom"
        case uid = "uid"
    }

    public init(balance: Int, creditsMoved: Int, jobsMoved: Int, mergedFrom: String, uid: String) {
        self.balance = balance
        self.creditsMoved = creditsMoved
        self.jobsMoved = jobsMoved
        self.mergedFrom = mergedFrom
        self.uid = uid
    }
}

// MARK: UpgradeResult convenience initializers and mutators

public extension UpgradeResult {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(UpgradeResult.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        balance: Int? = nil,
        creditsMoved: Int? = nil,
        jobsMoved: Int? = nil,
        mergedFrom: String? = nil,
        uid: String? = nil
    ) -> UpgradeResult {
        return UpgradeResult(
            balance: balance ?? self.balance,
            creditsMoved: creditsMoved ?? self.creditsMoved,
            jobsMoved: jobsMoved ?? self.jobsMoved,
            mergedFrom: mergedFrom ?? self.mergedFrom,
            uid: uid ?? self.uid
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - UserRef
public struct UserRef: Codable {
    public let uid: String

    public enum CodingKeys: String, CodingKey {
        case uid = "uid"
    }

    public init(uid: String) {
        self.uid = uid
    }
}

// MARK: UserRef convenience initializers and mutators

public extension UserRef {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(UserRef.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        uid: String? = nil
    ) -> UserRef {
        return UserRef(
            uid: uid ?? self.uid
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - UserStats
public struct UserStats: Codable {
    public let available: Int
    public let banned: Bool
    public let credits: Int
    public let exists: Bool
    public let jobsByStatus: [String: Int]
    public let jobsCounted: Int
    public let recentLedger: [LedgerLine]
    public let successRate: Double?
    public let uid: String

    public enum CodingKeys: String, CodingKey {
        case available = "available"
        case banned = "banned"
        case credits = "credits"
        case exists = "exists"
        case jobsByStatus = "jobsByStatus"
        case jobsCounted = "jobsCounted"
        case recentLedger = "recentLedger"
        case successRate = "successRate"
        case uid = "uid"
    }

    public init(available: Int, banned: Bool, credits: Int, exists: Bool, jobsByStatus: [String: Int], jobsCounted: Int, recentLedger: [LedgerLine], successRate: Double?, uid: String) {
        self.available = available
        self.banned = banned
        self.credits = credits
        self.exists = exists
        self.jobsByStatus = jobsByStatus
        self.jobsCounted = jobsCounted
        self.recentLedger = recentLedger
        self.successRate = successRate
        self.uid = uid
    }
}

// MARK: UserStats convenience initializers and mutators

public extension UserStats {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(UserStats.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        available: Int? = nil,
        banned: Bool? = nil,
        credits: Int? = nil,
        exists: Bool? = nil,
        jobsByStatus: [String: Int]? = nil,
        jobsCounted: Int? = nil,
        recentLedger: [LedgerLine]? = nil,
        successRate: Double?? = nil,
        uid: String? = nil
    ) -> UserStats {
        return UserStats(
            available: available ?? self.available,
            banned: banned ?? self.banned,
            credits: credits ?? self.credits,
            exists: exists ?? self.exists,
            jobsByStatus: jobsByStatus ?? self.jobsByStatus,
            jobsCounted: jobsCounted ?? self.jobsCounted,
            recentLedger: recentLedger ?? self.recentLedger,
            successRate: successRate ?? self.successRate,
            uid: uid ?? self.uid
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - LedgerLine
public struct LedgerLine: Codable {
    public let amount: Int
    public let createdAt: String
    public let id: String
    public let reason: String?
    public let type: String

    public enum CodingKeys: String, CodingKey {
        case amount = "amount"
        case createdAt = "createdAt"
        case id = "id"
        case reason = "reason"
        case type = "type"
    }

    public init(amount: Int, createdAt: String, id: String, reason: String?, type: String) {
        self.amount = amount
        self.createdAt = createdAt
        self.id = id
        self.reason = reason
        self.type = type
    }
}

// MARK: LedgerLine convenience initializers and mutators

public extension LedgerLine {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(LedgerLine.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        amount: Int? = nil,
        createdAt: String? = nil,
        id: String? = nil,
        reason: String?? = nil,
        type: String? = nil
    ) -> LedgerLine {
        return LedgerLine(
            amount: amount ?? self.amount,
            createdAt: createdAt ?? self.createdAt,
            id: id ?? self.id,
            reason: reason ?? self.reason,
            type: type ?? self.type
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

/// A purchase the app reports. App Store: exactly one of signedTransaction (StoreKit 2,
/// optionally with signedRenewalInfo), transactionId, or receipt (StoreKit 1, optionally
/// with
/// productId). Google Play: purchaseToken and productId.
// MARK: - VerifyPurchase
public struct VerifyPurchase: Codable {
    public let packageName: String?
    public let platform: Platform
    public let productId: String?
    public let purchaseToken: String?
    public let receipt: String?
    public let signedRenewalInfo: String?
    public let signedTransaction: String?
    public let transactionId: String?

    public enum CodingKeys: String, CodingKey {
        case packageName = "packageName"
        case platform = "platform"
        case productId = "productId"
        case purchaseToken = "purchaseToken"
        case receipt = "receipt"
        case signedRenewalInfo = "signedRenewalInfo"
        case signedTransaction = "signedTransaction"
        case transactionId = "transactionId"
    }

    public init(packageName: String?, platform: Platform, productId: String?, purchaseToken: String?, receipt: String?, signedRenewalInfo: String?, signedTransaction: String?, transactionId: String?) {
        self.packageName = packageName
        self.platform = platform
        self.productId = productId
        self.purchaseToken = purchaseToken
        self.receipt = receipt
        self.signedRenewalInfo = signedRenewalInfo
        self.signedTransaction = signedTransaction
        self.transactionId = transactionId
    }
}

// MARK: VerifyPurchase convenience initializers and mutators

public extension VerifyPurchase {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(VerifyPurchase.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        packageName: String?? = nil,
        platform: Platform? = nil,
        productId: String?? = nil,
        purchaseToken: String?? = nil,
        receipt: String?? = nil,
        signedRenewalInfo: String?? = nil,
        signedTransaction: String?? = nil,
        transactionId: String?? = nil
    ) -> VerifyPurchase {
        return VerifyPurchase(
            packageName: packageName ?? self.packageName,
            platform: platform ?? self.platform,
            productId: productId ?? self.productId,
            purchaseToken: purchaseToken ?? self.purchaseToken,
            receipt: receipt ?? self.receipt,
            signedRenewalInfo: signedRenewalInfo ?? self.signedRenewalInfo,
            signedTransaction: signedTransaction ?? self.signedTransaction,
            transactionId: transactionId ?? self.transactionId
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

public enum Platform: String, Codable {
    case appStore = "app_store"
    case playStore = "play_store"
}

// MARK: - WalletView
public struct WalletView: Codable {
    public let ash: Int
    public let available: Int
    public let credits: Int
    public let debt: Int
    public let entries: [EntryView]
    public let locked: Int
    public let nextCursor: String?

    public enum CodingKeys: String, CodingKey {
        case ash = "ash"
        case available = "available"
        case credits = "credits"
        case debt = "debt"
        case entries = "entries"
        case locked = "locked"
        case nextCursor = "nextCursor"
    }

    public init(ash: Int, available: Int, credits: Int, debt: Int, entries: [EntryView], locked: Int, nextCursor: String?) {
        self.ash = ash
        self.available = available
        self.credits = credits
        self.debt = debt
        self.entries = entries
        self.locked = locked
        self.nextCursor = nextCursor
    }
}

// MARK: WalletView convenience initializers and mutators

public extension WalletView {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(WalletView.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        ash: Int? = nil,
        available: Int? = nil,
        credits: Int? = nil,
        debt: Int? = nil,
        entries: [EntryView]? = nil,
        locked: Int? = nil,
        nextCursor: String?? = nil
    ) -> WalletView {
        return WalletView(
            ash: ash ?? self.ash,
            available: available ?? self.available,
            credits: credits ?? self.credits,
            debt: debt ?? self.debt,
            entries: entries ?? self.entries,
            locked: locked ?? self.locked,
            nextCursor: nextCursor ?? self.nextCursor
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - EntryView
public struct EntryView: Codable {
    public let amount: Int
    public let createdAt: String
    public let currency: String
    public let delta: EntryDelta
    public let id: String
    public let reason: String?
    public let refs: [String: String]
    public let type: EntryType

    public enum CodingKeys: String, CodingKey {
        case amount = "amount"
        case createdAt = "createdAt"
        case currency = "currency"
        case delta = "delta"
        case id = "id"
        case reason = "reason"
        case refs = "refs"
        case type = "type"
    }

    public init(amount: Int, createdAt: String, currency: String, delta: EntryDelta, id: String, reason: String?, refs: [String: String], type: EntryType) {
        self.amount = amount
        self.createdAt = createdAt
        self.currency = currency
        self.delta = delta
        self.id = id
        self.reason = reason
        self.refs = refs
        self.type = type
    }
}

// MARK: EntryView convenience initializers and mutators

public extension EntryView {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(EntryView.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        amount: Int? = nil,
        createdAt: String? = nil,
        currency: String? = nil,
        delta: EntryDelta? = nil,
        id: String? = nil,
        reason: String?? = nil,
        refs: [String: String]? = nil,
        type: EntryType? = nil
    ) -> EntryView {
        return EntryView(
            amount: amount ?? self.amount,
            createdAt: createdAt ?? self.createdAt,
            currency: currency ?? self.currency,
            delta: delta ?? self.delta,
            id: id ?? self.id,
            reason: reason ?? self.reason,
            refs: refs ?? self.refs,
            type: type ?? self.type
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

// MARK: - EntryDelta
public struct EntryDelta: Codable {
    public let ash: Int
    public let credits: Int
    public let debt: Int
    public let locked: Int

    public enum CodingKeys: String, CodingKey {
        case ash = "ash"
        case credits = "credits"
        case debt = "debt"
        case locked = "locked"
    }

    public init(ash: Int, credits: Int, debt: Int, locked: Int) {
        self.ash = ash
        self.credits = credits
        self.debt = debt
        self.locked = locked
    }
}

// MARK: EntryDelta convenience initializers and mutators

public extension EntryDelta {
    init(data: Data) throws {
        self = try newJSONDecoder().decode(EntryDelta.self, from: data)
    }

    init(_ json: String, using encoding: String.Encoding = .utf8) throws {
        guard let data = json.data(using: encoding) else {
            throw NSError(domain: "JSONDecoding", code: 0, userInfo: nil)
        }
        try self.init(data: data)
    }

    init(fromURL url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    func with(
        ash: Int? = nil,
        credits: Int? = nil,
        debt: Int? = nil,
        locked: Int? = nil
    ) -> EntryDelta {
        return EntryDelta(
            ash: ash ?? self.ash,
            credits: credits ?? self.credits,
            debt: debt ?? self.debt,
            locked: locked ?? self.locked
        )
    }

    func jsonData() throws -> Data {
        return try newJSONEncoder().encode(self)
    }

    func jsonString(encoding: String.Encoding = .utf8) throws -> String? {
        return String(data: try self.jsonData(), encoding: encoding)
    }
}

public enum EntryType: String, Codable {
    case adminAdjustment = "admin_adjustment"
    case ashGrant = "ash_grant"
    case creditsBurn = "credits_burn"
    case creditsClawback = "credits_clawback"
    case creditsGrant = "credits_grant"
    case creditsLock = "credits_lock"
    case creditsPurchase = "credits_purchase"
    case creditsRefund = "credits_refund"
    case creditsSpend = "credits_spend"
    case creditsSpendRefund = "credits_spend_refund"
}

// MARK: - Helper functions for creating encoders and decoders

func newJSONDecoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    if #available(iOS 10.0, OSX 10.12, tvOS 10.0, watchOS 3.0, *) {
        decoder.dateDecodingStrategy = .iso8601
    }
    return decoder
}

func newJSONEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    if #available(iOS 10.0, OSX 10.12, tvOS 10.0, watchOS 3.0, *) {
        encoder.dateEncodingStrategy = .iso8601
    }
    return encoder
}

// MARK: - Encode/decode helpers

public class JSONNull: Codable, Hashable {

    public static func == (lhs: JSONNull, rhs: JSONNull) -> Bool {
        return true
    }

    public var hashValue: Int {
        return 0
    }

    public func hash(into hasher: inout Hasher) {
        // No-op
    }

    public init() {}

    public required init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if !container.decodeNil() {
            throw DecodingError.typeMismatch(JSONNull.self, DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "Wrong type for JSONNull"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encodeNil()
    }
}

class JSONCodingKey: CodingKey {
    let key: String

    required init?(intValue: Int) {
        return nil
    }

    required init?(stringValue: String) {
        key = stringValue
    }

    var intValue: Int? {
        return nil
    }

    var stringValue: String {
        return key
    }
}

public class JSONAny: Codable {

    public let value: Any

    static func decodingError(forCodingPath codingPath: [CodingKey]) -> DecodingError {
        let context = DecodingError.Context(codingPath: codingPath, debugDescription: "Cannot decode JSONAny")
        return DecodingError.typeMismatch(JSONAny.self, context)
    }

    static func encodingError(forValue value: Any, codingPath: [CodingKey]) -> EncodingError {
        let context = EncodingError.Context(codingPath: codingPath, debugDescription: "Cannot encode JSONAny")
        return EncodingError.invalidValue(value, context)
    }

    static func decode(from container: SingleValueDecodingContainer) throws -> Any {
        if let value = try? container.decode(Bool.self) {
            return value
        }
        if let value = try? container.decode(Int64.self) {
            return value
        }
        if let value = try? container.decode(Double.self) {
            return value
        }
        if let value = try? container.decode(String.self) {
            return value
        }
        if container.decodeNil() {
            return JSONNull()
        }
        throw decodingError(forCodingPath: container.codingPath)
    }

    static func decode(from container: inout UnkeyedDecodingContainer) throws -> Any {
        if let value = try? container.decode(Bool.self) {
            return value
        }
        if let value = try? container.decode(Int64.self) {
            return value
        }
        if let value = try? container.decode(Double.self) {
            return value
        }
        if let value = try? container.decode(String.self) {
            return value
        }
        if let value = try? container.decodeNil() {
            if value {
                return JSONNull()
            }
        }
        if var container = try? container.nestedUnkeyedContainer() {
            return try decodeArray(from: &container)
        }
        if var container = try? container.nestedContainer(keyedBy: JSONCodingKey.self) {
            return try decodeDictionary(from: &container)
        }
        throw decodingError(forCodingPath: container.codingPath)
    }

    static func decode(from container: inout KeyedDecodingContainer<JSONCodingKey>, forKey key: JSONCodingKey) throws -> Any {
        if let value = try? container.decode(Bool.self, forKey: key) {
            return value
        }
        if let value = try? container.decode(Int64.self, forKey: key) {
            return value
        }
        if let value = try? container.decode(Double.self, forKey: key) {
            return value
        }
        if let value = try? container.decode(String.self, forKey: key) {
            return value
        }
        if let value = try? container.decodeNil(forKey: key) {
            if value {
                return JSONNull()
            }
        }
        if var container = try? container.nestedUnkeyedContainer(forKey: key) {
            return try decodeArray(from: &container)
        }
        if var container = try? container.nestedContainer(keyedBy: JSONCodingKey.self, forKey: key) {
            return try decodeDictionary(from: &container)
        }
        throw decodingError(forCodingPath: container.codingPath)
    }

    static func decodeArray(from container: inout UnkeyedDecodingContainer) throws -> [Any] {
        var arr: [Any] = []
        while !container.isAtEnd {
            let value = try decode(from: &container)
            arr.append(value)
        }
        return arr
    }

    static func decodeDictionary(from container: inout KeyedDecodingContainer<JSONCodingKey>) throws -> [String: Any] {
        var dict = [String: Any]()
        for key in container.allKeys {
            let value = try decode(from: &container, forKey: key)
            dict[key.stringValue] = value
        }
        return dict
    }

    static func encode(to container: inout UnkeyedEncodingContainer, array: [Any]) throws {
        for value in array {
            if let value = value as? Bool {
                try container.encode(value)
            } else if let value = value as? Int64 {
                try container.encode(value)
            } else if let value = value as? Double {
                try container.encode(value)
            } else if let value = value as? String {
                try container.encode(value)
            } else if value is JSONNull {
                try container.encodeNil()
            } else if let value = value as? [Any] {
                var container = container.nestedUnkeyedContainer()
                try encode(to: &container, array: value)
            } else if let value = value as? [String: Any] {
                var container = container.nestedContainer(keyedBy: JSONCodingKey.self)
                try encode(to: &container, dictionary: value)
            } else {
                throw encodingError(forValue: value, codingPath: container.codingPath)
            }
        }
    }

    static func encode(to container: inout KeyedEncodingContainer<JSONCodingKey>, dictionary: [String: Any]) throws {
        for (key, value) in dictionary {
            let key = JSONCodingKey(stringValue: key)!
            if let value = value as? Bool {
                try container.encode(value, forKey: key)
            } else if let value = value as? Int64 {
                try container.encode(value, forKey: key)
            } else if let value = value as? Double {
                try container.encode(value, forKey: key)
            } else if let value = value as? String {
                try container.encode(value, forKey: key)
            } else if value is JSONNull {
                try container.encodeNil(forKey: key)
            } else if let value = value as? [Any] {
                var container = container.nestedUnkeyedContainer(forKey: key)
                try encode(to: &container, array: value)
            } else if let value = value as? [String: Any] {
                var container = container.nestedContainer(keyedBy: JSONCodingKey.self, forKey: key)
                try encode(to: &container, dictionary: value)
            } else {
                throw encodingError(forValue: value, codingPath: container.codingPath)
            }
        }
    }

    static func encode(to container: inout SingleValueEncodingContainer, value: Any) throws {
        if let value = value as? Bool {
            try container.encode(value)
        } else if let value = value as? Int64 {
            try container.encode(value)
        } else if let value = value as? Double {
            try container.encode(value)
        } else if let value = value as? String {
            try container.encode(value)
        } else if value is JSONNull {
            try container.encodeNil()
        } else {
            throw encodingError(forValue: value, codingPath: container.codingPath)
        }
    }

    public required init(from decoder: Decoder) throws {
        if var arrayContainer = try? decoder.unkeyedContainer() {
            self.value = try JSONAny.decodeArray(from: &arrayContainer)
        } else if var container = try? decoder.container(keyedBy: JSONCodingKey.self) {
            self.value = try JSONAny.decodeDictionary(from: &container)
        } else {
            let container = try decoder.singleValueContainer()
            self.value = try JSONAny.decode(from: container)
        }
    }

    public func encode(to encoder: Encoder) throws {
        if let arr = self.value as? [Any] {
            var container = encoder.unkeyedContainer()
            try JSONAny.encode(to: &container, array: arr)
        } else if let dict = self.value as? [String: Any] {
            var container = encoder.container(keyedBy: JSONCodingKey.self)
            try JSONAny.encode(to: &container, dictionary: dict)
        } else {
            var container = encoder.singleValueContainer()
            try JSONAny.encode(to: &container, value: self.value)
        }
    }
}

