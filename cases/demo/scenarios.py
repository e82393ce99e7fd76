"""The demo caseload: one scenario per case, each written as a clinician would write it.

Each scenario says how far along its path the case has gone (`to`) and carries the text
entered at each step. Names and claim references are invented; the NHS numbers are in the 999 range, which the
NHS never issues to patients, and pass the check digit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Scenario:
    key: str
    to: str
    client: dict[str, Any]
    referral: dict[str, Any]
    firm: int = 0
    provider: int = 0
    case_manager: str = "casemanager"
    physio_manager: str = "physiomanager"
    physio: str = "physio"
    contacts: list[dict[str, Any]] = field(default_factory=list)
    assessment: dict[str, Any] = field(default_factory=dict)
    measures: list[tuple[str, str, str]] = field(default_factory=list)  # measure, variant, score
    plan: dict[str, Any] = field(default_factory=dict)
    sessions: int = 6
    reject_first: str = ""
    attended: int = 0
    progress_reports: list[str] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    risks: list[dict[str, Any]] = field(default_factory=list)
    onward: list[dict[str, Any]] = field(default_factory=list)
    review_reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    days_ago: int = 30


def goal(description: str, weeks: int, term: str = "short", expected: str = "",
         more: str = "", less: str = "") -> dict[str, Any]:
    return {"description": description, "weeks": weeks, "term": term, "gas_expected": expected,
            "gas_more": more, "gas_less": less}


MSK_ASSESSMENT = {
    "presenting_complaint": "Constant low back pain, worse after sitting for 20 minutes, with "
    "intermittent ache into the left buttock.",
    "condition_history": "Began the day after a rear-end road traffic collision in March. "
    "Seen in A&E, X-ray clear, discharged with analgesia. No improvement over four months.",
    "previous_treatment": "Four sessions of NHS physiotherapy (group class); discontinued.",
    "medication": "Naproxen 500 mg twice daily; paracetamol 1 g as needed.",
    "social_lifestyle": "Lives with partner and two children in a two-storey house. Stopped "
    "playing five-a-side football. Sleep disturbed two to three nights a week.",
    "work": "Delivery driver, off work since the accident; employer offers phased return.",
    "range_of_movement": "Lumbar flexion to mid-shin with pain at end of range; extension 50% "
    "with central pain; side flexion full.",
    "strength": "Hip abductors 4/5 left, 5/5 right. Poor endurance of trunk extensors (40 s).",
    "balance": "Single-leg stance 30 s both sides.",
    "gait": "Normal pattern, slightly reduced stride length.",
    "neurological_findings": "Dermatomes, myotomes and reflexes intact. SLR 70 degrees both.",
    "walking": "Independent, 20 minutes before pain increases to 6/10.",
    "sitting": "Tolerates 20 minutes.",
    "standing": "Tolerates 30 minutes.",
    "transfers": "Independent, slow from low chair.",
    "stairs": "Independent with rail.",
    "personal_care": "Independent; difficulty putting on socks.",
    "work_tasks": "Unable to lift parcels above 10 kg or drive for more than 30 minutes.",
    "pain_at_rest": 4, "pain_on_activity": 7,
    "pain_site": "Lower lumbar spine, left buttock",
    "pain_triggers": "Prolonged sitting, bending, lifting",
    "pain_eases": "Walking short distances, heat, changing position",
    "clinical_impression": "Non-specific mechanical low back pain with marked fear of movement "
    "and deconditioning. No red flags. Good prognosis with graded activity and education.",
    "treatment_goals_agreed": "Return to work on a phased plan; walk 45 minutes; sit through a "
    "film with the family.",
}

MSK_PLAN = {
    "summary": "Graded activity and strengthening, with pain education and a home exercise "
    "programme; liaison with the employer for a phased return.",
    "frequency": "Weekly, 45 minutes", "number_of_sessions": 6,
    "goals": [
        goal("Walk continuously for 45 minutes with pain no higher than 4/10 within 6 weeks.", 6,
             expected="Walks 45 minutes, pain at most 4/10",
             more="Walks 60 minutes, pain at most 3/10", less="Walks 30 minutes"),
        goal("Sit for 60 minutes (a film or a drive) within 8 weeks.", 8,
             expected="Sits 60 minutes", more="Sits 90 minutes", less="Sits 40 minutes"),
        goal("Return to work as a delivery driver on a phased plan within 12 weeks.", 12,
             term="long", expected="Four days a week, normal duties",
             more="Full time, normal duties", less="Two days a week, light duties"),
    ],
    "interventions": [
        ("exercise", "Progressive trunk and hip strengthening; graded walking programme."),
        ("education", "Pain neuroscience education and pacing."),
        ("manual_therapy", "Lumbar mobilisation as an adjunct in the first three sessions."),
    ],
}


SCENARIOS: list[Scenario] = [
    Scenario(
        key="draft", to="draft", days_ago=2,
        client=dict(title="Mrs", given_name="Janet", family_name="Holroyd",
                    date_of_birth="1961-09-03", nhs_number="9990010005",
                    address="41 Cliffe Road\nBrighouse", postcode="HD6 1AB",
                    phone="07700 900411", funder_kind="solicitor",
                    funder_name="Calder Injury Lawyers LLP", claim_reference="CIL-24-0881"),
        referral=dict(reason="Neck pain and headaches since a shunt at traffic lights.",
                      condition_category="musculoskeletal", urgency="routine"),
    ),
    Scenario(
        key="referred", to="referred", days_ago=3,
        client=dict(title="Mr", given_name="Daniel", family_name="Mercer",
                    date_of_birth="1988-05-21", nhs_number="9990011370",
                    address="7 Hawthorn Close\nWakefield", postcode="WF1 4QT",
                    phone="07700 900522", email="d.mercer@mail.example",
                    preferred_contact="text", funder_kind="insurer",
                    funder_name="Aldwych Motor Insurance", claim_reference="AMI-7781-22"),
        referral=dict(
            reason="Persistent low back pain after a road traffic collision; unable to work.",
            condition_category="musculoskeletal", diagnosis="Mechanical low back pain",
            medical_history="Asthma, well controlled.",
            current_concerns="Off work four months; low mood; poor sleep.",
            red_flags="None identified by GP.", required_expertise="musculoskeletal",
            urgency="soon", preferred_setting="clinic",
            client_availability="Weekday mornings; school run at 3 pm."),
    ),
    Scenario(
        key="declined", to="declined", days_ago=12,
        client=dict(title="Mr", given_name="Owen", family_name="Pritchard",
                    date_of_birth="1975-12-11", nhs_number="9990012741",
                    address="12 Station Road\nHebden Bridge", postcode="HX7 8AD",
                    phone="07700 900633", funder_kind="insurer",
                    funder_name="Pennine Mutual", claim_reference="PM-SCI-0042"),
        referral=dict(
            reason="Incomplete spinal cord injury (C6) after a fall from scaffolding; needs "
            "intensive neurological rehabilitation and hydrotherapy.",
            condition_category="spinal_cord_injury", diagnosis="C6 ASIA C incomplete tetraplegia",
            current_concerns="Transfers, hand function, autonomic dysreflexia episodes.",
            red_flags="Autonomic dysreflexia: management plan attached.",
            required_expertise="spinal_cord_injury", urgency="soon",
            preferred_setting="hydrotherapy", client_availability="Any weekday."),
        extra={"decline": "We have no hydrotherapy pool and no capacity in our spinal cord "
                          "injury service until March. Moorland Neuro Physio may be able to help."},
    ),
    Scenario(
        key="costing_proposed", to="costing_proposed", days_ago=8,
        client=dict(title="Ms", given_name="Chloe", family_name="Ashworth",
                    date_of_birth="1996-02-28", nhs_number="9990014116",
                    address="Flat 3, 19 Otley Road\nLeeds", postcode="LS6 3AA",
                    phone="07700 900744", email="chloe.ashworth@mail.example",
                    preferred_contact="email", funder_kind="insurer",
                    funder_name="Aldwych Motor Insurance", claim_reference="AMI-9912-23"),
        referral=dict(
            reason="Rehabilitation after anterior cruciate ligament reconstruction (hamstring "
            "graft) following a skiing accident.",
            condition_category="orthopaedic_post_surgical",
            diagnosis="Left ACL rupture, reconstructed 6 weeks ago",
            medical_history="None of note.", current_concerns="Quadriceps lag; wants to return "
            "to netball.", required_expertise="orthopaedic_post_surgical", urgency="soon",
            preferred_setting="clinic", client_availability="After 4 pm and Saturdays."),
        reject_first="The report fee is above the funder's agreed rate of £120; please re-cost.",
    ),
    Scenario(
        key="costing_approved", to="costing_approved", days_ago=10,
        client=dict(title="Mr", given_name="Graham", family_name="Lister",
                    date_of_birth="1958-07-16", nhs_number="9990015481",
                    address="3 Moor View\nKeighley", postcode="BD21 4RT",
                    phone="01535 496 118", funder_kind="solicitor",
                    funder_name="Aire Valley Solicitors", claim_reference="AVS/LIS/0193"),
        referral=dict(
            reason="Right shoulder pain and weakness after a fall on an icy car park.",
            condition_category="musculoskeletal",
            diagnosis="Partial-thickness supraspinatus tear (MRI)",
            medical_history="Type 2 diabetes; hypertension.",
            current_concerns="Cannot reach overhead; night pain.",
            required_expertise="musculoskeletal", urgency="routine", preferred_setting="home",
            client_availability="Tuesdays and Thursdays."),
    ),
    Scenario(
        key="assessment_scheduled", to="assessment_scheduled", physio="physio.evans",
        days_ago=14,
        client=dict(title="Mrs", given_name="Margaret", family_name="Oduya",
                    date_of_birth="1952-03-09", nhs_number="9990016852",
                    address="66 Manor Lane\nShipley", postcode="BD18 3HG",
                    phone="01274 496 332", communication_needs="Mild expressive dysphasia: "
                    "allow time; her daughter often joins calls.",
                    funder_kind="insurer", funder_name="Northway Health",
                    claim_reference="NWH-STR-5520"),
        contacts=[dict(name="Ruth Oduya", relationship="Daughter", phone="07700 900855",
                       is_next_of_kin=True)],
        referral=dict(
            reason="Community neurological rehabilitation after a right middle cerebral artery "
            "infarct with left hemiparesis.",
            condition_category="neurological", diagnosis="Right MCA ischaemic stroke",
            medical_history="Atrial fibrillation; on apixaban.",
            current_concerns="Falls at home (two in a month); left arm function.",
            red_flags="Anticoagulated: falls risk.", required_expertise="neurological",
            urgency="urgent", preferred_setting="home",
            client_availability="Late mornings; tires in the afternoon."),
        risks=[dict(description="Falls at home when transferring at night.", likelihood=4,
                    impact=4, mitigation="Commode at bedside; OT to assess for rails.",
                    review_weeks=1)],
    ),
    Scenario(
        key="assessed", to="assessed", physio="physio.evans", days_ago=21,
        client=dict(title="Mr", given_name="Kieran", family_name="Doyle",
                    date_of_birth="1993-10-30", nhs_number="9990018227",
                    address="15 Beck Side\nBradford", postcode="BD10 8QS",
                    phone="07700 900966", funder_kind="solicitor",
                    funder_name="Northern Claims Partnership", claim_reference="NCP-TBI-311"),
        referral=dict(
            reason="Balance and fatigue after a moderate traumatic brain injury (assault).",
            condition_category="brain_injury", diagnosis="Moderate TBI, right frontal contusion",
            current_concerns="Dizziness on turning; fatigue; wants to return to the gym.",
            red_flags="Post-traumatic seizures in hospital; now on levetiracetam.",
            required_expertise="brain_injury", urgency="soon", preferred_setting="clinic",
            client_availability="Any day before 2 pm."),
        assessment={
            "presenting_complaint": "Dizziness on head turns, poor balance in busy places, "
            "fatigue after 30 minutes of activity.",
            "condition_history": "Assaulted in June; two weeks in hospital; discharged home "
            "with no rehabilitation follow-up.",
            "range_of_movement": "Full cervical range; dizziness on rapid rotation.",
            "strength": "Grossly 5/5.", "balance": "Berg 44/56; unable to tandem stand.",
            "gait": "Wide base, slows on head turns.",
            "walking": "Independent outdoors on quiet streets; avoids supermarkets.",
            "transfers": "Independent.",
            "pain_at_rest": 1, "pain_on_activity": 3,
            "clinical_impression": "Vestibular and balance impairment after TBI with marked "
            "fatigue; good potential with vestibular rehabilitation and graded exercise.",
            "treatment_goals_agreed": "Shop in a supermarket; return to the gym twice a week.",
        },
        measures=[("berg", "", "44"), ("tug", "no aid", "12.8")],
        plan={
            "summary": "Vestibular rehabilitation with graded aerobic exercise and fatigue "
            "management.", "frequency": "Weekly, 60 minutes", "number_of_sessions": 8,
            "goals": [goal("Shop for 30 minutes in a supermarket without dizziness above "
                           "2/10 within 8 weeks.", 8, expected="30 minutes, dizziness 2/10"),
                      goal("Attend the gym twice a week for 45 minutes within 12 weeks.", 12,
                           term="long", expected="Twice a week, 45 minutes")],
            "interventions": [("exercise", "Gaze stabilisation and habituation exercises."),
                              ("education", "Fatigue management and pacing.")],
        },
        sessions=8,
    ),
    Scenario(
        key="complex", to="in_treatment", days_ago=70,
        client=dict(title="Mr", given_name="Lee", family_name="Carter",
                    date_of_birth="1983-04-02", nhs_number="9990019592",
                    address="2 Canal Cottages\nSowerby Bridge", postcode="HX6 2AG",
                    phone="07700 900177", funder_kind="insurer",
                    funder_name="Aldwych Motor Insurance", claim_reference="AMI-4410-21",
                    communication_needs="Prefers phone calls; does not read long letters."),
        contacts=[dict(name="Dawn Carter", relationship="Sister", phone="07700 900188",
                       is_next_of_kin=True)],
        referral=dict(
            reason="Rehabilitation after a tibial plateau fracture (motorcycle collision), "
            "with the aim of returning to work as a scaffolder.",
            condition_category="orthopaedic_post_surgical",
            diagnosis="Right tibial plateau fracture, ORIF 10 weeks ago",
            medical_history="Past alcohol dependence; abstinent for three years before the "
            "accident.", current_concerns="Knee stiffness; not sleeping; low mood.",
            red_flags="Surgical wound slow to heal; history of substance use.",
            required_expertise="orthopaedic_post_surgical", urgency="soon",
            preferred_setting="home", client_availability="Mornings."),
        assessment={**MSK_ASSESSMENT,
                    "presenting_complaint": "Right knee stiffness and pain; walking with one "
                    "crutch.", "condition_history": "ORIF of the right tibial plateau ten "
                    "weeks ago; partial weight bearing until last week.",
                    "range_of_movement": "Right knee 5-85 degrees.",
                    "strength": "Quadriceps 3+/5 right.", "pain_at_rest": 3,
                    "pain_on_activity": 6,
                    "clinical_impression": "Post-operative stiffness and weakness; engagement "
                    "may be affected by mood and sleep. Wound to be monitored.",
                    "treatment_goals_agreed": "Walk without a crutch; climb a ladder; return "
                    "to work."},
        measures=[("psfs", "", "3.2"), ("tug", "one crutch", "14.1")],
        plan={
            "summary": "Knee range and strengthening with a home programme, building to "
            "work-specific tasks.", "frequency": "Weekly, 45 minutes", "number_of_sessions": 8,
            "goals": [goal("Walk 500 m without a crutch within 6 weeks.", 6,
                           expected="500 m without a crutch", more="1 km without a crutch",
                           less="200 m without a crutch"),
                      goal("Knee flexion to 120 degrees within 8 weeks.", 8,
                           expected="120 degrees"),
                      goal("Climb and descend a ladder safely within 16 weeks.", 16,
                           term="long", expected="Ten rungs, carrying nothing")],
            "interventions": [("exercise", "Knee range and quadriceps strengthening."),
                              ("education", "Wound care advice and sleep hygiene."),
                              ("equipment", "Static exercise bike on loan.")],
        },
        sessions=8, attended=3, progress_reports=[
            "Three sessions attended, one missed. Knee flexion improved to 100 degrees. Lee "
            "disclosed he has started drinking again; exercises at home are not being done."],
        notes=[dict(kind="phone", with_whom="Lee Carter",
                    summary="Lee says he is drinking most evenings since the accident and is "
                    "not doing his exercises. Agreed to a referral to the local alcohol "
                    "service.", minutes=25),
               dict(kind="phone", with_whom="Tom Whitaker (physiotherapist)",
                    summary="Discussed relapse and the wound: agreed to adjust goals and to "
                    "request district nurse visits.", minutes=15),
               dict(kind="email", with_whom="Aldwych Motor Insurance",
                    summary="Requested authority for paid support worker visits between "
                    "sessions to help with the exercise programme.", minutes=10)],
        risks=[dict(description="Wound breakdown over the surgical scar.", likelihood=3,
                    impact=5, mitigation="District nurse visits twice weekly; physio checks "
                    "the wound each session.", review_weeks=-1),
               dict(description="Relapse in alcohol use affecting engagement and safety.",
                    likelihood=4, impact=4, mitigation="Referral to the community alcohol "
                    "service; shorter, more frequent contacts.", review_weeks=1),
               dict(description="Disengagement from rehabilitation.", likelihood=3, impact=4,
                    mitigation="Support worker between appointments; agreed achievable goals.",
                    review_weeks=2)],
        onward=[dict(to_service="District nursing", to_organisation="Calderdale community "
                     "nursing", reason="Wound dressing and monitoring twice weekly.",
                     status="accepted"),
                dict(to_service="Substance misuse service", to_organisation="Calderdale "
                     "Recovery Steps", reason="Relapse in alcohol use since the accident.",
                     status="sent")],
        extra={"overdue": True},
    ),
    Scenario(
        key="amputation", to="in_treatment", days_ago=60,
        client=dict(title="Mr", given_name="Bashir", family_name="Hussain",
                    date_of_birth="1969-01-25", nhs_number="9990020965",
                    address="90 Leeds Road\nDewsbury", postcode="WF12 7BL",
                    phone="07700 900299", funder_kind="insurer",
                    funder_name="Northway Health", claim_reference="NWH-AMP-2107"),
        referral=dict(
            reason="Prosthetic gait training after a left trans-tibial amputation (crush "
            "injury at work).", condition_category="amputation",
            diagnosis="Left trans-tibial amputation, first prosthesis fitted",
            current_concerns="Confidence outdoors; phantom pain at night.",
            required_expertise="amputation", urgency="soon", preferred_setting="clinic",
            client_availability="Weekdays."),
        assessment={**MSK_ASSESSMENT,
                    "presenting_complaint": "Walking with prosthesis and two sticks indoors.",
                    "condition_history": "Crush injury in January; amputation; limb fitting "
                    "centre supplied the first prosthesis last month.",
                    "gait": "Short stance on the prosthetic side; two sticks.",
                    "walking": "Indoors with two sticks; 50 m outdoors.",
                    "clinical_impression": "Early prosthetic user with good potential.",
                    "treatment_goals_agreed": "Walk to the mosque (400 m); drive an adapted "
                    "car."},
        measures=[("6mwt", "two sticks", "180"), ("tug", "two sticks", "19.5")],
        plan={"summary": "Prosthetic gait training and outdoor mobility.",
              "frequency": "Twice weekly, 45 minutes", "number_of_sessions": 6,
              "goals": [goal("Walk 400 m outdoors with one stick within 8 weeks.", 8,
                             expected="400 m with one stick")],
              "interventions": [("exercise", "Gait re-education, balance and endurance."),
                                ("education", "Skin checks and socket fit.")]},
        sessions=6, attended=5, progress_reports=[
            "Five sessions attended. Walking 250 m outdoors with one stick; phantom pain "
            "improving with mirror therapy."],
    ),
    Scenario(
        key="under_review", to="under_review", days_ago=50,
        client=dict(title="Ms", given_name="Rebecca", family_name="Firth",
                    date_of_birth="1979-06-14", nhs_number="9990023700",
                    address="5 Sycamore Drive\nHuddersfield", postcode="HD3 3QW",
                    phone="07700 900311", funder_kind="solicitor",
                    funder_name="Calder Injury Lawyers LLP", claim_reference="CIL-23-4410"),
        referral=dict(
            reason="Widespread chronic pain after a whiplash injury, affecting work as a nurse.",
            condition_category="chronic_pain", diagnosis="Chronic widespread pain",
            current_concerns="Flare-ups after night shifts.", required_expertise="chronic_pain",
            urgency="routine", preferred_setting="clinic",
            client_availability="Days off vary with her rota."),
        assessment={**MSK_ASSESSMENT, "clinical_impression": "Chronic pain with central "
                    "sensitisation; pacing and graded exposure indicated.",
                    "treatment_goals_agreed": "Manage a week of shifts without a flare-up."},
        measures=[("psfs", "", "4.0")], plan=MSK_PLAN, attended=4,
        progress_reports=["Four sessions attended. Better pacing on days off, but two "
                          "flare-ups after consecutive night shifts."],
        review_reason="Setback: two flare-ups after night shifts; goals need adjusting to "
        "her rota and extra sessions may be needed.",
    ),
    Scenario(
        key="on_hold", to="on_hold", days_ago=45,
        client=dict(title="Mrs", given_name="Dorothy", family_name="Lumb",
                    date_of_birth="1947-11-05", nhs_number="9990026440",
                    address="Flat 1, Ashgrove Court\nHalifax", postcode="HX3 0AB",
                    phone="01422 496 551", funder_kind="insurer",
                    funder_name="Pennine Mutual", claim_reference="PM-HIP-7730"),
        referral=dict(
            reason="Mobility after a hemiarthroplasty for a fractured neck of femur (slipped "
            "on a wet shop floor).", condition_category="orthopaedic_post_surgical",
            diagnosis="Left hip hemiarthroplasty", current_concerns="Falls; lives alone.",
            required_expertise="orthopaedic_post_surgical", urgency="soon",
            preferred_setting="home", client_availability="Any morning."),
        assessment={**MSK_ASSESSMENT, "clinical_impression": "Deconditioned after surgery; "
                    "high falls risk.", "treatment_goals_agreed": "Walk to the local shop."},
        measures=[("tug", "frame", "21.0"), ("berg", "", "38")], plan=MSK_PLAN, attended=2,
        extra={"hold": "Admitted to Calderdale Royal Hospital with a chest infection."},
    ),
    Scenario(
        key="discharged", to="discharged", days_ago=90,
        client=dict(title="Mr", given_name="Ravi", family_name="Patel",
                    date_of_birth="1990-08-19", nhs_number="9990027811",
                    address="27 Victoria Road\nLeeds", postcode="LS11 5UG",
                    phone="07700 900422", funder_kind="insurer",
                    funder_name="Aldwych Motor Insurance", claim_reference="AMI-2231-22"),
        referral=dict(
            reason="Ankle rehabilitation after an open reduction of a bimalleolar fracture.",
            condition_category="orthopaedic_post_surgical", diagnosis="Right bimalleolar "
            "fracture, ORIF", current_concerns="Running; stairs at work.",
            required_expertise="orthopaedic_post_surgical", urgency="routine",
            preferred_setting="clinic", client_availability="Evenings."),
        assessment=MSK_ASSESSMENT, measures=[("psfs", "", "4.4")], plan=MSK_PLAN, attended=6,
        progress_reports=["Three sessions: stairs reciprocal, jogging 5 minutes.",
                          "Six sessions: running 20 minutes, back at work full time."],
    ),
    Scenario(
        key="closed", to="closed", days_ago=120,
        client=dict(title="Miss", given_name="Emily", family_name="Sutcliffe",
                    date_of_birth="2001-12-02", nhs_number="9990029180",
                    address="8 Wharfe View\nOtley", postcode="LS21 1AD",
                    phone="07700 900533", funder_kind="insurer",
                    funder_name="Northway Health", claim_reference="NWH-WHP-0098"),
        referral=dict(
            reason="Whiplash-associated disorder after a rear-end collision.",
            condition_category="musculoskeletal", diagnosis="WAD grade II",
            current_concerns="Neck pain at university; headaches.",
            required_expertise="musculoskeletal", urgency="routine", preferred_setting="clinic",
            client_availability="Wednesday afternoons."),
        assessment=MSK_ASSESSMENT, measures=[("psfs", "", "5.0")], plan=MSK_PLAN, attended=5,
        progress_reports=["Pain down to 2/10; full neck movement."],
    ),
    Scenario(
        key="withdrawn", to="withdrawn", days_ago=25,
        client=dict(title="Mr", given_name="Stuart", family_name="Booth",
                    date_of_birth="1972-04-17", nhs_number="9990030553",
                    address="51 Bank Street\nCastleford", postcode="WF10 1HS",
                    phone="07700 900644", funder_kind="solicitor",
                    funder_name="Aire Valley Solicitors", claim_reference="AVS/BOO/0210"),
        referral=dict(
            reason="Wrist stiffness after a distal radius fracture.",
            condition_category="musculoskeletal", diagnosis="Left distal radius fracture",
            current_concerns="Grip for work as a joiner.", required_expertise="musculoskeletal",
            urgency="routine", preferred_setting="clinic",
            client_availability="Mornings."),
        extra={"withdraw": "The claim settled and the insurer has stopped funding "
                           "rehabilitation; Mr Booth will self-refer to NHS hand therapy."},
    ),
    Scenario(
        key="firm2_treatment", to="in_treatment", firm=1, provider=1,
        case_manager="casemanager2", physio_manager="physiomanager2", physio="physio2",
        days_ago=40,
        client=dict(title="Mrs", given_name="Patricia", family_name="Naylor",
                    date_of_birth="1956-02-08", nhs_number="9990031924",
                    address="14 Green Lane\nStockport", postcode="SK4 2NB",
                    phone="0161 496 0771", funder_kind="self",
                    funder_name="Self-funded", claim_reference="PCM-2024-118"),
        referral=dict(
            reason="Rehabilitation after a right total knee replacement.",
            condition_category="orthopaedic_post_surgical", diagnosis="Right TKR",
            current_concerns="Stairs and getting in and out of the car.",
            required_expertise="orthopaedic_post_surgical", urgency="routine",
            preferred_setting="home", client_availability="Any weekday."),
        assessment=MSK_ASSESSMENT, measures=[("tug", "stick", "15.2")], plan=MSK_PLAN,
        attended=2,
    ),
    Scenario(
        key="firm2_referred", to="referred", firm=1, provider=1,
        case_manager="casemanager2", physio_manager="physiomanager2", physio="physio2",
        days_ago=4,
        client=dict(title="Mr", given_name="Joseph", family_name="Greenwood",
                    date_of_birth="1966-09-27", nhs_number="9990033293",
                    address="3 Mill Fold\nRochdale", postcode="OL12 6TT",
                    phone="01706 496 220", funder_kind="charity",
                    funder_name="MS Support North", claim_reference="MSSN-0451"),
        referral=dict(
            reason="Balance and walking with relapsing-remitting multiple sclerosis.",
            condition_category="neurological", diagnosis="Relapsing-remitting MS",
            current_concerns="Two falls since his last relapse.",
            required_expertise="neurological", urgency="soon", preferred_setting="home",
            client_availability="Mornings, when fatigue is least."),
    ),
]
