namespace GeoEdge.FleetServer.Identity;

/// <summary>What an operator bearer token may do; each role includes the ones below it.</summary>
public enum OperatorRole
{
    /// <summary>Read devices, models, rollouts and metrics.</summary>
    Viewer = 1,

    /// <summary>Also upload models, manage rollouts and create enrollment tokens.</summary>
    Operator = 2,

    /// <summary>Also create operator tokens.</summary>
    Admin = 3,
}

/// <summary>Role names as they appear in options, the CLI and the database.</summary>
public static class OperatorRoles
{
    /// <summary>"viewer", "operator" or "admin".</summary>
    public static string Name(OperatorRole role) => role switch
    {
        OperatorRole.Viewer => "viewer",
        OperatorRole.Operator => "operator",
        OperatorRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown operator role"),
    };

    /// <summary>Parses a role name; false for anything else.</summary>
    public static bool TryParse(string? name, out OperatorRole role)
    {
        role = name switch
        {
            "viewer" => OperatorRole.Viewer,
            "operator" => OperatorRole.Operator,
            "admin" => OperatorRole.Admin,
            _ => 0,
        };
        return role != 0;
    }
}
