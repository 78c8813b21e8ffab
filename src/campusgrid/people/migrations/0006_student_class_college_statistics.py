"""The planner learns that a student's class decides their college (PostgreSQL).

A leader's roster filtered by grade asks `college_id = … AND school_class_id IN (that year's
classes of the college)`. Taken as independent, the two conditions multiply: 1,500 students were
estimated at 45, and with the grade's lower bound on 学号 (people.filters.filter_grade) the page
then read and sorted all 1,500 (9 ms) instead of walking the college's 学号 index from the first
student of the year (0.3 ms). Functional-dependency statistics on (college_id, school_class_id)
give the planner the class → college dependency, so the estimate is the year's students
(issue 17)."""

from django.db import migrations

NAME = "people_student_class_college"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE STATISTICS IF NOT EXISTS "{NAME}" (dependencies) ON college_id, school_class_id FROM people_student'
    )
    schema_editor.execute('ANALYZE "people_student"')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP STATISTICS IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("people", "0005_residence_history")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
