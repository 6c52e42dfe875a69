using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LPTracker.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CrmIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Stages_ProjectId_Order",
                table: "Stages");

            // A project that got two default funnels from racing first requests keeps the older stage of each
            // position: its leads move there, the younger copy goes (history lines keep the old stage id).
            migrationBuilder.Sql(
                """
                UPDATE "Leads" SET "StageId" = (
                    SELECT MIN(k."Id") FROM "Stages" AS s JOIN "Stages" AS k ON k."ProjectId" = s."ProjectId" AND k."Order" = s."Order"
                    WHERE s."Id" = "Leads"."StageId")
                WHERE EXISTS (
                    SELECT 1 FROM "Stages" AS s JOIN "Stages" AS k ON k."ProjectId" = s."ProjectId" AND k."Order" = s."Order"
                    WHERE s."Id" = "Leads"."StageId" AND k."Id" < s."Id");
                DELETE FROM "Stages" WHERE EXISTS (
                    SELECT 1 FROM "Stages" AS k WHERE k."ProjectId" = "Stages"."ProjectId" AND k."Order" = "Stages"."Order" AND k."Id" < "Stages"."Id");
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Stages_ProjectId_Order",
                table: "Stages",
                columns: new[] { "ProjectId", "Order" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ProjectId_IsDeleted_StepDateUtc",
                table: "Leads",
                columns: new[] { "ProjectId", "IsDeleted", "StepDateUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Calls_AccountId_ClientNumber_StartedUtc",
                table: "Calls",
                columns: new[] { "AccountId", "ClientNumber", "StartedUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Stages_ProjectId_Order",
                table: "Stages");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ProjectId_IsDeleted_StepDateUtc",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Calls_AccountId_ClientNumber_StartedUtc",
                table: "Calls");

            migrationBuilder.CreateIndex(
                name: "IX_Stages_ProjectId_Order",
                table: "Stages",
                columns: new[] { "ProjectId", "Order" });
        }
    }
}
