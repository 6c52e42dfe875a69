using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LPTracker.Core.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LeadListIndexesTenantLast : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_ListCounts",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ListOrder",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ProjectId",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_AccountId",
                table: "Leads",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ListCounts",
                table: "Leads",
                columns: new[] { "ProjectId", "IsDeleted", "StageId", "OwnerId", "StepDateUtc", "AccountId" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ListOrder",
                table: "Leads",
                columns: new[] { "ProjectId", "IsDeleted", "StepDateUtc", "StageId", "OwnerId", "AccountId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_AccountId",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ListCounts",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ListOrder",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ListCounts",
                table: "Leads",
                columns: new[] { "AccountId", "ProjectId", "IsDeleted", "StageId", "OwnerId", "StepDateUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ListOrder",
                table: "Leads",
                columns: new[] { "AccountId", "ProjectId", "IsDeleted", "StepDateUtc", "StageId", "OwnerId" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ProjectId",
                table: "Leads",
                column: "ProjectId");
        }
    }
}
