namespace LPTracker.Core.Employees;

/// <summary>Removes a deleted employee's photo file (the row goes first; a leftover file is only logged).</summary>
public interface IEmployeePhotoCleanup
{
    void Delete(string fileName);
}

/// <summary>Photos live in <c>{DataFolder}/photos/{file}</c>; names we did not write are never touched.</summary>
public sealed class FolderPhotoCleanup(string photosFolder) : IEmployeePhotoCleanup
{
    public string PhotosFolder { get; } = photosFolder;

    public void Delete(string fileName)
    {
        if (fileName.Length == 0 || !fileName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.')
            || fileName.Contains("..", StringComparison.Ordinal))
        {
            return;
        }

        var path = Path.Combine(PhotosFolder, fileName);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
