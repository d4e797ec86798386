"""URL patterns of one part of the permits module; included by rencana/permits/urls.py (namespace "permits").
The applicant side: my applications, the wizard, farmer groups and members, micro businesses, drafts.
"""

from django.urls import URLPattern, path

from rencana.permits import views_apply

P = "pemda/<str:kode>/izin/"

urlpatterns: list[URLPattern] = [
    path(f"{P}permohonan-saya/", views_apply.my_applications, name="my_applications"),
    path(f"{P}permohonan-saya/baru/", views_apply.application_start, name="application_start"),
    path(f"{P}wizard/<int:application_id>/<str:langkah>/", views_apply.wizard_step, name="wizard_step"),
    path(f"{P}wizard/<int:application_id>/proposal.docx", views_apply.proposal_docx, name="proposal_docx"),
    path(f"{P}wizard/<int:application_id>/proposal.pdf", views_apply.proposal_pdf, name="proposal_pdf"),
    path(f"{P}dokumen/<int:app_document_id>/", views_apply.document_download, name="document_download"),
    path(f"{P}kelompok/", views_apply.group_list, name="group_list"),
    path(f"{P}kelompok/impor/templat/", views_apply.member_import_template, name="member_import_template"),
    path(f"{P}kelompok/anggota/<int:member_id>/", views_apply.member_edit, name="member_edit"),
    path(f"{P}kelompok/<int:group_id>/", views_apply.group_detail, name="group_detail"),
    path(f"{P}kelompok/<int:group_id>/impor/", views_apply.member_import, name="member_import"),
    path(f"{P}usaha/", views_apply.business_list, name="business_list"),
    path(f"{P}usaha/impor/", views_apply.business_import, name="business_import"),
    path(f"{P}usaha/impor/templat/", views_apply.business_import_template, name="business_import_template"),
    path(f"{P}usaha/<int:business_id>/", views_apply.business_detail, name="business_detail"),
    path(f"{P}usaha/<int:business_id>/nib.pdf", views_apply.business_nib_pdf, name="business_nib_pdf"),
    path(f"{P}usaha/<int:business_id>/nib.docx", views_apply.business_nib_docx, name="business_nib_docx"),
]
