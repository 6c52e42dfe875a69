using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LPTracker.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Accounts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    CompanyName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Accounts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Employees",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    IsMain = table.Column<bool>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Login = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    NormalizedLogin = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SecurityStamp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    Position = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DisplayedNumberId = table.Column<int>(type: "INTEGER", nullable: true),
                    PhotoFile = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CallReceiving = table.Column<int>(type: "INTEGER", nullable: false),
                    SimNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    HideClientNumber = table.Column<bool>(type: "INTEGER", nullable: false),
                    PopUpContactCard = table.Column<bool>(type: "INTEGER", nullable: false),
                    IsEnabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    CommonSections = table.Column<int>(type: "INTEGER", nullable: false),
                    Permissions = table.Column<int>(type: "INTEGER", nullable: false),
                    LastLoginUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FailedSignIns = table.Column<int>(type: "INTEGER", nullable: false),
                    LockoutEndUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CurrentProjectId = table.Column<int>(type: "INTEGER", nullable: true),
                    SearchText = table.Column<string>(type: "TEXT", maxLength: 600, nullable: false),
                    SortName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Employees", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Employees_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SipAccounts",
                columns: table => new
                {
                    EmployeeId = table.Column<int>(type: "INTEGER", nullable: false),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Ha1Md5 = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Ha1Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ProtectedPassword = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    Realm = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SipAccounts", x => x.EmployeeId);
                    table.ForeignKey(
                        name: "FK_SipAccounts_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SipAccounts_Employees_EmployeeId",
                        column: x => x.EmployeeId,
                        principalTable: "Employees",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SipBindings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EmployeeId = table.Column<int>(type: "INTEGER", nullable: false),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    ContactUri = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    CallId = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    CSeq = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RegisteredUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UserAgent = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    RemoteEndPoint = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SipBindings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SipBindings_Employees_EmployeeId",
                        column: x => x.EmployeeId,
                        principalTable: "Employees",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Memberships",
                columns: table => new
                {
                    EmployeeId = table.Column<int>(type: "INTEGER", nullable: false),
                    ProjectId = table.Column<int>(type: "INTEGER", nullable: false),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    HasAccess = table.Column<bool>(type: "INTEGER", nullable: false),
                    TakesCalls = table.Column<bool>(type: "INTEGER", nullable: false),
                    Sections = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Memberships", x => new { x.EmployeeId, x.ProjectId });
                    table.ForeignKey(
                        name: "FK_Memberships_Employees_EmployeeId",
                        column: x => x.EmployeeId,
                        principalTable: "Employees",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Numbers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    E164 = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ProjectId = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Numbers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Numbers_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Projects",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SingleNumberId = table.Column<int>(type: "INTEGER", nullable: true),
                    RingMode = table.Column<int>(type: "INTEGER", nullable: false),
                    RingTimeoutSeconds = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Projects", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Projects_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Projects_Numbers_SingleNumberId",
                        column: x => x.SingleNumberId,
                        principalTable: "Numbers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Number",
                table: "Accounts",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Employees_AccountId_Id",
                table: "Employees",
                columns: new[] { "AccountId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Employees_AccountId_LastLoginUtc",
                table: "Employees",
                columns: new[] { "AccountId", "LastLoginUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Employees_AccountId_NormalizedLogin",
                table: "Employees",
                columns: new[] { "AccountId", "NormalizedLogin" });

            migrationBuilder.CreateIndex(
                name: "IX_Employees_AccountId_Position",
                table: "Employees",
                columns: new[] { "AccountId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_Employees_AccountId_SortName",
                table: "Employees",
                columns: new[] { "AccountId", "SortName" });

            migrationBuilder.CreateIndex(
                name: "IX_Employees_CurrentProjectId",
                table: "Employees",
                column: "CurrentProjectId");

            migrationBuilder.CreateIndex(
                name: "IX_Employees_DisplayedNumberId",
                table: "Employees",
                column: "DisplayedNumberId");

            migrationBuilder.CreateIndex(
                name: "IX_Employees_NormalizedLogin",
                table: "Employees",
                column: "NormalizedLogin",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Memberships_ProjectId_HasAccess",
                table: "Memberships",
                columns: new[] { "ProjectId", "HasAccess" });

            migrationBuilder.CreateIndex(
                name: "IX_Memberships_ProjectId_TakesCalls",
                table: "Memberships",
                columns: new[] { "ProjectId", "TakesCalls" });

            migrationBuilder.CreateIndex(
                name: "IX_Numbers_AccountId_E164",
                table: "Numbers",
                columns: new[] { "AccountId", "E164" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Numbers_ProjectId",
                table: "Numbers",
                column: "ProjectId");

            migrationBuilder.CreateIndex(
                name: "IX_Projects_AccountId_Name",
                table: "Projects",
                columns: new[] { "AccountId", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_Projects_SingleNumberId",
                table: "Projects",
                column: "SingleNumberId");

            migrationBuilder.CreateIndex(
                name: "IX_SipAccounts_AccountId",
                table: "SipAccounts",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_SipAccounts_UserName",
                table: "SipAccounts",
                column: "UserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SipBindings_EmployeeId",
                table: "SipBindings",
                column: "EmployeeId");

            migrationBuilder.CreateIndex(
                name: "IX_SipBindings_UserName",
                table: "SipBindings",
                column: "UserName");

            migrationBuilder.AddForeignKey(
                name: "FK_Employees_Numbers_DisplayedNumberId",
                table: "Employees",
                column: "DisplayedNumberId",
                principalTable: "Numbers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Employees_Projects_CurrentProjectId",
                table: "Employees",
                column: "CurrentProjectId",
                principalTable: "Projects",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_Memberships_Projects_ProjectId",
                table: "Memberships",
                column: "ProjectId",
                principalTable: "Projects",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Numbers_Projects_ProjectId",
                table: "Numbers",
                column: "ProjectId",
                principalTable: "Projects",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Numbers_Accounts_AccountId",
                table: "Numbers");

            migrationBuilder.DropForeignKey(
                name: "FK_Projects_Accounts_AccountId",
                table: "Projects");

            migrationBuilder.DropForeignKey(
                name: "FK_Projects_Numbers_SingleNumberId",
                table: "Projects");

            migrationBuilder.DropTable(
                name: "Memberships");

            migrationBuilder.DropTable(
                name: "SipAccounts");

            migrationBuilder.DropTable(
                name: "SipBindings");

            migrationBuilder.DropTable(
                name: "Employees");

            migrationBuilder.DropTable(
                name: "Accounts");

            migrationBuilder.DropTable(
                name: "Numbers");

            migrationBuilder.DropTable(
                name: "Projects");
        }
    }
}
