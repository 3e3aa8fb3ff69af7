using System.Data.Common;
using System.Text.Json;
using GeoEdge.Fleet.Contracts;

namespace GeoEdge.FleetServer.Storage;

/// <summary>Devices: enrollment records, selection by attributes/tags, desired state (monotonic version + assignment) and reported state.</summary>
/// <remarks>Methods taking a <see cref="SqlSession"/> run inside the caller's transaction (a rollout records its action and
/// the assignment together); the others open their own.</remarks>
public sealed class DeviceStore
{
    private const string Columns = "device_id, hw_id, fleet, board, agent_version, attributes, tags, cert_pem, enrolled_at, last_seen, "
        + "desired_version, assignment, desired_changed_at, reported, reported_at";

    private readonly FleetDatabase _database;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over a migrated database.</summary>
    public DeviceStore(FleetDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>The device, or null when no such id is enrolled.</summary>
    public async Task<DeviceRecord?> GetAsync(string deviceId, CancellationToken cancellationToken)
    {
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await session.QueryFirstOrDefaultAsync($"SELECT {Columns} FROM devices WHERE device_id = @id", Read, cancellationToken,
            ("id", deviceId)).ConfigureAwait(false);
    }

    /// <summary>All devices, ordered by id.</summary>
    public async Task<List<DeviceRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await session.QueryAsync($"SELECT {Columns} FROM devices ORDER BY device_id", Read, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The devices a selector matches, ordered by id.</summary>
    /// <remarks>Attributes and tags are JSON columns filtered here, not in SQL, so the query is the same on both databases;
    /// fine for thousands of devices (one indexed scan); a device_attributes table is the step if fleets grow past that.</remarks>
    public async Task<List<DeviceRecord>> SelectAsync(TargetSelector selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        List<DeviceRecord> all = await ListAsync(cancellationToken).ConfigureAwait(false);
        return all.FindAll(d => DeviceSelector.Matches(d, selector));
    }

    /// <summary>The device id a hardware id enrolled as, or null (inside the enrollment's transaction).</summary>
    public static Task<List<string>> FindIdByHwIdAsync(SqlSession session, string hwId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.QueryAsync("SELECT device_id FROM devices WHERE hw_id = @hw", r => r.GetString(0), cancellationToken, ("hw", hwId));
    }

    /// <summary>Stores a (re-)enrollment inside the enrollment's transaction: a new device starts at desired version 0; a
    /// device enrolling again keeps its id, desired state and reports and gets the new certificate and identity.</summary>
    public async Task SaveEnrollmentAsync(SqlSession session, string deviceId, string hwId, string fleet, DeviceIdentity identity, string certificatePem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(identity);
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await session.ExecuteAsync(
            "INSERT INTO devices (device_id, hw_id, fleet, board, agent_version, attributes, tags, cert_pem, enrolled_at, last_seen, desired_version, desired_changed_at) "
            + "VALUES (@id, @hw, @fleet, @board, @agent, @attrs, @tags, @cert, @now, @now, 0, @now) "
            + "ON CONFLICT (device_id) DO UPDATE SET fleet = excluded.fleet, board = excluded.board, agent_version = excluded.agent_version, "
            + "attributes = excluded.attributes, tags = excluded.tags, cert_pem = excluded.cert_pem, enrolled_at = excluded.enrolled_at, last_seen = excluded.last_seen",
            cancellationToken,
            ("id", deviceId), ("hw", hwId), ("fleet", fleet), ("board", identity.Board), ("agent", identity.AgentVersion),
            ("attrs", AttributesJson(identity.Attributes)), ("tags", TagsJson(identity.Tags)), ("cert", certificatePem), ("now", now)).ConfigureAwait(false);
    }

    /// <summary>Sets the device's assignment and bumps its desired version, in one statement; returns the new version.</summary>
    /// <exception cref="DeviceNotFoundException">No such device.</exception>
    public async Task<long> AssignAsync(string deviceId, Assignment assignment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return await _database.InTransactionAsync((s, ct) => AssignAsync(s, deviceId, assignment, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As <see cref="AssignAsync(string, Assignment, CancellationToken)"/>, inside the caller's transaction.</summary>
    public Task<long> AssignAsync(SqlSession session, string deviceId, Assignment assignment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return SetDesiredAsync(session, deviceId, JsonSerializer.Serialize(assignment, FleetJsonContext.Default.Assignment), cancellationToken);
    }

    /// <summary>Removes the device's assignment and bumps its desired version; returns the new version.</summary>
    /// <exception cref="DeviceNotFoundException">No such device.</exception>
    public async Task<long> ClearAssignmentAsync(string deviceId, CancellationToken cancellationToken) =>
        await _database.InTransactionAsync((s, ct) => ClearAssignmentAsync(s, deviceId, ct), cancellationToken).ConfigureAwait(false);

    /// <summary>As <see cref="ClearAssignmentAsync(string, CancellationToken)"/>, inside the caller's transaction.</summary>
    public Task<long> ClearAssignmentAsync(SqlSession session, string deviceId, CancellationToken cancellationToken) =>
        SetDesiredAsync(session, deviceId, null, cancellationToken);

    /// <summary>The device's desired state, or null when no such device is enrolled.</summary>
    public async Task<DesiredRecord?> GetDesiredAsync(string deviceId, CancellationToken cancellationToken)
    {
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await session.QueryFirstOrDefaultAsync("SELECT desired_version, assignment FROM devices WHERE device_id = @id",
            r => new DesiredRecord(r.GetInt64(0), ReadAssignment(r, 1)), cancellationToken, ("id", deviceId)).ConfigureAwait(false);
    }

    /// <summary>Stores a reported state (and the attributes, board and agent version it carries).</summary>
    /// <exception cref="DeviceNotFoundException">No such device.</exception>
    public async Task SaveReportedAsync(string deviceId, ReportedState reported, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reported);
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        // Attributes are replaced only when the report carries them (an agent without attributes keeps the enrolled ones).
        int changed = await session.ExecuteAsync(
            "UPDATE devices SET reported = @rep, reported_at = @now, last_seen = @now, board = @board, agent_version = @agent, "
            + "last_desired_version = @ldv, last_desired_code = @code, attributes = COALESCE(@attrs, attributes) WHERE device_id = @id",
            cancellationToken,
            ("rep", JsonSerializer.Serialize(reported, FleetJsonContext.Default.ReportedState)), ("now", now), ("board", reported.Board),
            ("agent", reported.AgentVersion), ("ldv", reported.LastDesiredVersion), ("code", (long)reported.LastDesiredStatus.Code),
            ("attrs", reported.Attributes is null ? null : AttributesJson(reported.Attributes)), ("id", deviceId)).ConfigureAwait(false);
        if (changed == 0)
        {
            throw new DeviceNotFoundException(deviceId);
        }
    }

    /// <summary>Records an authenticated call's time as the device's last_seen.</summary>
    public async Task TouchAsync(string deviceId, CancellationToken cancellationToken)
    {
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync("UPDATE devices SET last_seen = @now WHERE device_id = @id", cancellationToken,
            ("now", _time.GetUtcNow().ToUnixTimeMilliseconds()), ("id", deviceId)).ConfigureAwait(false);
    }

    /// <summary>Maps a row selected with the store's column list (for other components that join devices).</summary>
    public static DeviceRecord Read(DbDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new DeviceRecord(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
            JsonSerializer.Deserialize(r.GetString(5), StorageJsonContext.Default.DictionaryStringString) ?? [],
            JsonSerializer.Deserialize(r.GetString(6), StorageJsonContext.Default.ListString) ?? [],
            r.GetString(7),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
            r.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)),
            r.GetInt64(10),
            ReadAssignment(r, 11),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(12)),
            r.IsDBNull(13) ? null : JsonSerializer.Deserialize(r.GetString(13), FleetJsonContext.Default.ReportedState),
            r.IsDBNull(14) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(14)));
    }

    private async Task<long> SetDesiredAsync(SqlSession session, string deviceId, string? assignmentJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        // One conditional statement: concurrent assigners each get their own increment, on both databases.
        long? version = await session.ScalarInt64Async(
            "UPDATE devices SET desired_version = desired_version + 1, assignment = @a, desired_changed_at = @now WHERE device_id = @id RETURNING desired_version",
            cancellationToken, ("a", assignmentJson), ("now", _time.GetUtcNow().ToUnixTimeMilliseconds()), ("id", deviceId)).ConfigureAwait(false);
        return version ?? throw new DeviceNotFoundException(deviceId);
    }

    private static Assignment? ReadAssignment(DbDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : JsonSerializer.Deserialize(r.GetString(ordinal), FleetJsonContext.Default.Assignment);

    private static string AttributesJson(IReadOnlyDictionary<string, string>? attributes) =>
        JsonSerializer.Serialize(attributes is null ? [] : new Dictionary<string, string>(attributes), StorageJsonContext.Default.DictionaryStringString);

    private static string TagsJson(IReadOnlyList<string>? tags) =>
        JsonSerializer.Serialize(tags is null ? [] : new List<string>(tags), StorageJsonContext.Default.ListString);
}
