using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using LPTracker.Web.Auth;

namespace LPTracker.Web.Components.Shell;

/// <summary>
/// The signed-in employee's profile and projects for this circuit. The top bar changes the current project here;
/// pages subscribe to <see cref="Changed"/> and reload.
/// </summary>
public sealed class ShellState(CurrentUser currentUser, ProjectService projects)
{
    private Task? _loading;

    public CallerProfile? Profile { get; private set; }

    public IReadOnlyList<ProjectRef> Projects { get; private set; } = [];

    /// <summary>Raised after the profile or the current project changed.</summary>
    public event Func<Task>? Changed;

    /// <summary>Loads once per circuit; later callers share the same load.</summary>
    public Task EnsureLoadedAsync() => _loading ??= LoadAsync();

    /// <summary>Reloads the profile and projects (rights may have changed) and tells subscribers.</summary>
    public async Task RefreshAsync()
    {
        _loading = LoadAsync();
        await _loading;
        if (Changed is { } handlers)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<Func<Task>>())
            {
                await handler();
            }
        }
    }

    private async Task LoadAsync()
    {
        Profile = await currentUser.GetProfileAsync();
        Projects = Profile is null ? [] : await projects.ListAsync(Profile.Context);
    }
}
