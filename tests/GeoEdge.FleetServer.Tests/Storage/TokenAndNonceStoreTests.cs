using GeoEdge.FleetServer.Identity;
using GeoEdge.FleetServer.Storage;
using Microsoft.Extensions.Time.Testing;

namespace GeoEdge.FleetServer.Tests.Storage;

[Collection(DatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class TokenAndNonceStoreTests(PostgresCluster cluster)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task An_enrollment_token_serves_max_uses_until_it_expires(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        CreatedToken twoUses = await store.EnrollmentTokens.CreateAsync("fleet-a", TimeSpan.FromMinutes(10), 2, CancellationToken.None);
        CreatedToken expiring = await store.EnrollmentTokens.CreateAsync("fleet-b", TimeSpan.FromMinutes(1), 5, CancellationToken.None);

        Task<TokenRedemption> Redeem(string secret) => store.Database.InTransactionAsync((s, ct) => store.EnrollmentTokens.RedeemAsync(s, secret, ct), CancellationToken.None);

        Assert.Equal(new TokenRedemption("fleet-a", null), await Redeem(twoUses.Secret));
        Assert.Equal(new TokenRedemption("fleet-a", null), await Redeem(twoUses.Secret));
        Assert.Equal(new TokenRedemption(null, "enrollment token has no uses left"), await Redeem(twoUses.Secret));
        Assert.Equal(new TokenRedemption("fleet-b", null), await Redeem(expiring.Secret));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new TokenRedemption(null, "enrollment token expired"), await Redeem(expiring.Secret));
        Assert.Equal(new TokenRedemption(null, "unknown enrollment token"), await Redeem("get_nonsense"));
        Assert.StartsWith("get_", twoUses.Secret, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Operator_tokens_are_found_by_secret_with_their_role(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        Assert.Equal(0, await store.OperatorTokens.CountAsync(CancellationToken.None));

        (_, string viewer) = await store.OperatorTokens.CreateAsync("dash", OperatorRole.Viewer, CancellationToken.None);
        (_, string admin) = await store.OperatorTokens.CreateAsync("root", OperatorRole.Admin, CancellationToken.None);

        Assert.Equal(OperatorRole.Viewer, await store.OperatorTokens.FindRoleAsync(viewer, CancellationToken.None));
        Assert.Equal(OperatorRole.Admin, await store.OperatorTokens.FindRoleAsync(admin, CancellationToken.None));
        Assert.Null(await store.OperatorTokens.FindRoleAsync(admin + "x", CancellationToken.None));
        Assert.Equal(2, await store.OperatorTokens.CountAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_nonce_is_accepted_once_per_device_within_its_window(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        await using FleetStore replica = await test.OpenStoreAsync(_time);
        TimeSpan window = TimeSpan.FromMinutes(10);

        Assert.True(await store.Nonces.TryRememberAsync("dev-1", "n1", window, CancellationToken.None));
        Assert.False(await replica.Nonces.TryRememberAsync("dev-1", "n1", window, CancellationToken.None));
        Assert.True(await store.Nonces.TryRememberAsync("dev-2", "n1", window, CancellationToken.None));
        _time.Advance(window);
        Assert.True(await store.Nonces.TryRememberAsync("dev-1", "n1", window, CancellationToken.None));
    }
}
